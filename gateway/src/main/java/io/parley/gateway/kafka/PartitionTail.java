package io.parley.gateway.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the gateway's readers without a consumer group follow a topic: every partition assigned by hand, positioned
 * {@code lookback} ago when first assigned (at the end of a partition with nothing that recent), and partitions
 * added to the topic later picked up at their beginning (nothing in them was read yet) on {@link #refreshIfDue()}
 * (the client lists them once its metadata is refreshed: within {@code metadata.max.age.ms}, 5 minutes by default).
 * Used by the web chat's {@link ReplyListener}, the inbound ledger and the long-poll channels' reply readers; the
 * consumer stays the caller's, used from its thread only.
 */
public final class PartitionTail {

    /** How often the topic's partitions are listed again. */
    public static final Duration REFRESH = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(PartitionTail.class);

    private final KafkaConsumer<?, ?> consumer;
    private final String topic;
    private final Duration lookback;
    private final Clock clock;
    private List<TopicPartition> partitions = List.of();
    private long nextRefresh = System.nanoTime();

    public PartitionTail(KafkaConsumer<?, ?> consumer, String topic, Duration lookback, Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.lookback = lookback;
        this.clock = clock;
    }

    /**
     * Lists the partitions until there are some, or {@code timeout} passed, or {@code running} turns false.
     *
     * @return whether partitions are assigned
     */
    public boolean awaitAssigned(Duration timeout, BooleanSupplier running) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.getAsBoolean() && !refresh() && System.nanoTime() < deadline) {
            // partitionsFor waited already; list again
        }
        return !partitions.isEmpty();
    }

    /**
     * Lists the partitions again when {@link #REFRESH} has passed since the last time.
     *
     * @return whether partitions are assigned
     */
    public boolean refreshIfDue() {
        return System.nanoTime() - nextRefresh >= 0 ? refresh() : !partitions.isEmpty();
    }

    /**
     * Lists the topic's partitions now and assigns new ones. A listing that fails is logged and leaves the assignment
     * as it is.
     *
     * @return whether partitions are assigned
     */
    public boolean refresh() {
        nextRefresh = System.nanoTime() + REFRESH.toNanos();
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("cannot list partitions of {}: {}", topic, e.toString());
            return !partitions.isEmpty();
        }
        if (infos == null || infos.isEmpty()) {
            return !partitions.isEmpty();
        }
        List<TopicPartition> all = new ArrayList<>();
        infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
        List<TopicPartition> added = new ArrayList<>(all);
        added.removeAll(partitions);
        if (added.isEmpty()) {
            return true;
        }
        consumer.assign(all);
        Map<TopicPartition, Long> since = new HashMap<>();
        long from = partitions.isEmpty() ? clock.millis() - lookback.toMillis() : 0L;
        added.forEach(tp -> since.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since, Duration.ofSeconds(10));
        Map<TopicPartition, Long> ends = consumer.endOffsets(added, Duration.ofSeconds(10));
        for (TopicPartition tp : added) {
            OffsetAndTimestamp at = offsets.get(tp);
            consumer.seek(tp, at != null ? at.offset() : ends.get(tp));
        }
        partitions = List.copyOf(all);
        return true;
    }
}
