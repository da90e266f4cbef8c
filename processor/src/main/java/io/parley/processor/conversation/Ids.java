package io.parley.processor.conversation;

import io.parley.schemas.AuditKind;
import io.parley.schemas.ReplyKind;
import java.util.Locale;

/**
 * Deterministic ids. Processing the same input again (after a crash, under exactly-once) gives the
 * same ids, so workers and channels can drop what they have already seen: a request id is the
 * idempotency key of a backend call end to end.
 */
public final class Ids {

    private Ids() {
    }

    /** The request of call {@code callIndex} of step {@code step}, issued for chat event {@code eventId}. */
    public static String request(String eventId, int step, int callIndex) {
        return eventId + "/s" + step + "/c" + callIndex;
    }

    /** The classifier request for chat event {@code eventId}. */
    public static String classification(String eventId) {
        return eventId + "/classify";
    }

    /** A reply of a kind answering a chat event (or, for follow-ups, a request). */
    public static String reply(String subjectId, ReplyKind kind) {
        return subjectId + "/" + kind.name().toLowerCase(Locale.ROOT);
    }

    /** An audit record of a kind about a subject (an event, request or reply id). */
    public static String audit(String subjectId, AuditKind kind) {
        return subjectId + "/" + kind.name().toLowerCase(Locale.ROOT);
    }
}
