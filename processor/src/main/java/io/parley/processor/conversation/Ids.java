package io.parley.processor.conversation;

import io.parley.schemas.AuditKind;
import io.parley.schemas.ReplyKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * Deterministic ids. Processing the same input again (after a crash, under exactly-once) gives the
 * same ids, so workers and channels can drop what they have already seen: a request id is the
 * idempotency key of a backend call end to end.
 *
 * <p>Event ids are chosen by clients, so two conversations can carry the same one (by chance or on
 * purpose). Every id derived from an event id is therefore {@linkplain #scoped scoped} to its
 * conversation: the same event id in two conversations gives two request, reply and audit ids,
 * and the same event again in one conversation gives the same ones. Scoped ids have a fixed
 * length whatever the length of the conversation and event ids.
 */
public final class Ids {

    /** Length of {@link #scoped} ids: 256 bits in unpadded base64url. */
    public static final int SCOPED_LENGTH = 43;

    private static final ThreadLocal<Scoped> LAST_SCOPED = new ThreadLocal<>();

    private record Scoped(String conversationId, String id, String value) {
    }

    private Ids() {
    }

    /**
     * An id within a conversation, unique across conversations: a SHA-256 of both, length-prefixed so
     * that no two different pairs give the same input ({@code ("a/b", "c")} and {@code ("a", "b/c")}
     * differ).
     */
    public static String scoped(String conversationId, String id) {
        // A turn derives its event's scoped id many times (the event-id check, requests, replies, audit steps): the
        // last one each thread computed is kept, as hashing anew was 2 % of the stream thread (bench S2 profile).
        Scoped last = LAST_SCOPED.get();
        if (last != null && last.id().equals(id) && last.conversationId().equals(conversationId)) {
            return last.value();
        }
        String value = hash(conversationId, id);
        LAST_SCOPED.set(new Scoped(conversationId, id, value));
        return value;
    }

    private static String hash(String conversationId, String id) {
        byte[] conversation = conversationId.getBytes(StandardCharsets.UTF_8);
        byte[] subject = id.getBytes(StandardCharsets.UTF_8);
        MessageDigest digest = sha256();
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(conversation.length).array());
        digest.update(conversation);
        digest.update(subject);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest());
    }

    /** The request of call {@code callIndex} of step {@code step}, issued for chat event {@code eventId} of a conversation. */
    public static String request(String conversationId, String eventId, int step, int callIndex) {
        return scoped(conversationId, eventId) + "/s" + step + "/c" + callIndex;
    }

    /** The classifier request for chat event {@code eventId} of a conversation. */
    public static String classification(String conversationId, String eventId) {
        return scoped(conversationId, eventId) + "/classify";
    }

    /** A reply of a kind about a subject already unique across conversations (a scoped id, a notification id). */
    public static String reply(String subjectId, ReplyKind kind) {
        return subjectId + "/" + kind.name().toLowerCase(Locale.ROOT);
    }

    /** An audit record of a kind about a subject already unique across conversations (a scoped, request or reply id). */
    public static String audit(String subjectId, AuditKind kind) {
        return subjectId + "/" + kind.name().toLowerCase(Locale.ROOT);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
