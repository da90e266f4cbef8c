package io.parley.gateway.chat;

import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes replies from the reply topic to the connections of this instance that hold the
 * conversation (every tab of a notification's user, for notifications), and replays what a
 * reconnecting browser missed. Attaching and delivering share one lock, so a reply that arrives
 * while a browser reconnects is sent exactly once, after the replayed ones.
 */
public final class ReplyRouter {

    private final ReplyBuffer buffer;
    private final int maxConnectionsPerUser;
    private final Map<String, Set<Attached>> byConversation = new HashMap<>();
    private final Map<String, Set<Attached>> byUser = new HashMap<>();

    /** A connection and the conversation and user it was attached for. */
    private record Attached(ChatConnection connection, String conversationId, String userId) {
    }

    public ReplyRouter(int perConversation, int maxConversations, int maxReplies, Duration maxAge, int maxConnectionsPerUser,
                       Clock clock) {
        this.buffer = new ReplyBuffer(perConversation, maxConversations, maxReplies, maxAge, clock);
        this.maxConnectionsPerUser = maxConnectionsPerUser;
    }

    /**
     * Attaches a connection to its conversation and sends it the replies after {@code lastReplyId}.
     *
     * @return false, attaching nothing, when the user already has the maximum number of connections
     */
    public synchronized boolean attach(ChatConnection connection, String conversationId, String userId,
                                       String lastReplyId) {
        Set<Attached> ofUser = byUser.computeIfAbsent(userId, u -> new LinkedHashSet<>());
        if (ofUser.size() >= maxConnectionsPerUser) {
            if (ofUser.isEmpty()) {
                byUser.remove(userId);
            }
            return false;
        }
        Attached attached = new Attached(connection, conversationId, userId);
        ofUser.add(attached);
        byConversation.computeIfAbsent(conversationId, c -> new LinkedHashSet<>()).add(attached);
        for (ChatReply missed : buffer.after(conversationId, lastReplyId)) {
            if (missed.getUserId().equals(userId)) {
                connection.send(Frames.reply(missed));
            }
        }
        return true;
    }

    /** Detaches a closed connection. */
    public synchronized void detach(ChatConnection connection, String conversationId, String userId) {
        Attached attached = new Attached(connection, conversationId, userId);
        removeFrom(byConversation, conversationId, attached);
        removeFrom(byUser, userId, attached);
    }

    /** Buffers a reply read from the reply topic and sends it to the connections it is for. */
    public synchronized void deliver(ChatReply reply) {
        if (!buffer.add(reply)) {
            return;
        }
        String frame = Frames.reply(reply);
        Set<ChatConnection> targets = new LinkedHashSet<>();
        // A reply goes to its user only, even if a connection holds the conversation id.
        for (Attached a : byConversation.getOrDefault(reply.getConversationId(), Set.of())) {
            if (a.userId().equals(reply.getUserId())) {
                targets.add(a.connection());
            }
        }
        if (reply.getKind() == ReplyKind.NOTIFICATION) {
            for (Attached a : byUser.getOrDefault(reply.getUserId(), Set.of())) {
                targets.add(a.connection());
            }
        }
        targets.forEach(c -> c.send(frame));
    }

    /** How many connections are attached (metrics, tests). */
    public synchronized int connections() {
        return byUser.values().stream().mapToInt(Set::size).sum();
    }

    /** Replies held for reconnects, in all conversations (tests). */
    synchronized int heldReplies() {
        return buffer.size();
    }

    /** The held replies of a conversation (tests). */
    synchronized List<ChatReply> held(String conversationId) {
        return buffer.after(conversationId, null);
    }

    private static void removeFrom(Map<String, Set<Attached>> index, String key, Attached attached) {
        Set<Attached> set = index.get(key);
        if (set != null) {
            set.remove(attached);
            if (set.isEmpty()) {
                index.remove(key);
            }
        }
    }
}
