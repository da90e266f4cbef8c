package io.parley.processor.topology;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Notices when the events of one conversation arrive on different partitions of the chat events
 * topic: its producers partition keys differently (a Java client and a librdkafka client with its
 * default partitioner, a round-robin balancer...), so the conversation is split over tasks that
 * each keep a session of their own. Fed with the events of one user in order (the user directory's
 * task sees all of them, whatever partition they came from), it compares each event with that
 * user's previous one.
 *
 * <p>A diagnostic, so it is held in memory and bounded (least recently seen users and warned
 * conversations are forgotten first): it is not worth a changelog write per event, and forgetting
 * after a restart only delays a warning.
 */
final class PartitionWatch {

    /**
     * An event arrived on another partition than the previous event of its conversation.
     *
     * @param firstForConversation whether this conversation was not reported before (the WARN is for these)
     */
    record Move(int from, int to, String fromChannel, String toChannel, boolean firstForConversation) {
    }

    private record Seen(String conversationId, int partition, String channel) {
    }

    private final Map<String, Seen> lastByUser;
    private final Set<String> reported;

    /**
     * @param capacity how many users, and how many reported conversations, are remembered
     */
    PartitionWatch(int capacity) {
        this.lastByUser = bounded(capacity);
        this.reported = Collections.newSetFromMap(bounded(capacity));
    }

    /** Records where a user's event came from; tells when its conversation's previous event came from elsewhere. */
    Optional<Move> observe(String userId, String conversationId, String channel, int partition) {
        Seen previous = lastByUser.put(userId, new Seen(conversationId, partition, channel));
        if (previous == null || !previous.conversationId().equals(conversationId) || previous.partition() == partition) {
            return Optional.empty();
        }
        return Optional.of(new Move(previous.partition(), partition, previous.channel(), channel, reported.add(conversationId)));
    }

    /** The user's data was erased: nothing about them is kept here either. */
    void forget(String userId) {
        lastByUser.remove(userId);
    }

    private static <K, V> Map<K, V> bounded(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
