package io.parley.worker.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition may be committed when records finish out of order: the offset
 * after the longest run of finished records from the oldest unfinished one. A record still in
 * flight holds back the commit of every later record of its partition, so a restart redelivers
 * it rather than skipping it.
 */
final class PartitionOffsets {

    private final Map<TopicPartition, TreeMap<Long, Boolean>> byPartition = new HashMap<>();

    void started(TopicPartition partition, long offset) {
        byPartition.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, false);
    }

    void finished(TopicPartition partition, long offset) {
        TreeMap<Long, Boolean> offsets = byPartition.get(partition);
        if (offsets != null && offsets.containsKey(offset)) {
            offsets.put(offset, true);
        }
    }

    /** The offsets to commit now; the finished records they cover are forgotten. */
    Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        byPartition.forEach((partition, offsets) -> {
            long next = -1;
            Iterator<Map.Entry<Long, Boolean>> oldestFirst = offsets.entrySet().iterator();
            while (oldestFirst.hasNext()) {
                Map.Entry<Long, Boolean> entry = oldestFirst.next();
                if (!entry.getValue()) {
                    break;
                }
                next = entry.getKey() + 1;
                oldestFirst.remove();
            }
            if (next >= 0) {
                commits.put(partition, new OffsetAndMetadata(next));
            }
        });
        return commits;
    }

    /** Records of these partitions in flight (not finished). */
    long inFlight(Collection<TopicPartition> partitions) {
        return partitions.stream()
                .map(byPartition::get)
                .filter(offsets -> offsets != null)
                .mapToLong(offsets -> offsets.values().stream().filter(finished -> !finished).count())
                .sum();
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(byPartition::remove);
    }
}
