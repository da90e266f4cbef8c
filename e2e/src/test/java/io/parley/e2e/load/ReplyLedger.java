package io.parley.e2e.load;

import io.parley.schemas.ChatReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every reply read from the reply topic, per conversation in the order read (a conversation's
 * replies share a partition, so that is the order Parley produced them in). Thread-safe: the
 * reply reader writes while the driver and the test read.
 */
public final class ReplyLedger {

    private final Map<String, List<ChatReply>> byConversation = new HashMap<>();
    private final Set<String> concludedEvents = new HashSet<>();

    public synchronized void record(ChatReply reply) {
        byConversation.computeIfAbsent(reply.getConversationId(), id -> new ArrayList<>()).add(reply);
        if (ExpectedReply.concludes(reply) && reply.getInReplyTo() != null) {
            concludedEvents.add(reply.getInReplyTo());
        }
    }

    /** Whether some reply ended the handling of this event. */
    public synchronized boolean hasConcluded(String eventId) {
        return concludedEvents.contains(eventId);
    }

    public synchronized List<ChatReply> repliesOf(String conversationId) {
        return List.copyOf(byConversation.getOrDefault(conversationId, List.of()));
    }

    /** Conversations that got replies, the planned ones and any other. */
    public synchronized Set<String> conversations() {
        return Set.copyOf(byConversation.keySet());
    }
}
