package io.parley.worker.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic consumer-group loop, for clusters without share groups. Records are processed
 * concurrently while the loop keeps polling; offsets are committed per partition, in order, only
 * up to records whose responses are in Kafka ({@link PartitionOffsets}). A record whose output
 * could not be produced is processed again. When {@code concurrency} records are in flight the
 * partitions are paused, so memory stays bounded. Partitions taken away in a rebalance get their
 * in-flight records finished (within the shutdown timeout) and committed first.
 */
final class ClassicGroupLoop extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroupLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    /** The consumer of the current run; a new one after a failure. */
    private Consumer<byte[], byte[]> consumer;
    private final int maxInFlight;
    private final PartitionOffsets offsets = new PartitionOffsets();
    private final Map<ConsumerRecord<byte[], byte[]>, CompletableFuture<Disposition>> inFlight = new LinkedHashMap<>();
    private final BlockingQueue<Done<ConsumerRecord<byte[], byte[]>>> done = new LinkedBlockingQueue<>();
    private final Set<TopicPartition> assigned = new HashSet<>();

    /**
     * @param consumers makes a new consumer; one at start and one after each unexpected failure
     * @param restarts how soon a loop that failed unexpectedly starts again
     */
    ClassicGroupLoop(Supplier<Consumer<byte[], byte[]>> consumers, String topic, RecordProcessor processor, int maxInFlight,
                     Duration shutdownTimeout, WorkerMetrics metrics, LoopRestarts restarts) {
        super(LOG, "consumer loop", "classic", topic, processor, shutdownTimeout, metrics, restarts);
        this.consumers = consumers;
        this.maxInFlight = maxInFlight;
    }

    @Override
    protected void consume() {
        consumer = consumers.get();
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
                records.forEach(this::start);
                drain();
                commitAsync();
                applyBackpressure();
            }
            finish(assigned);
            commitSync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Whatever is still in flight is given up uncommitted: the partitions' next owner processes it.
            Set<TopicPartition> held = new HashSet<>(assigned);
            inFlight.keySet().forEach(record -> held.add(new TopicPartition(record.topic(), record.partition())));
            abandon(held);
            assigned.clear();
            done.clear();
            closeQuietly(() -> consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT)));
        }
    }

    private void start(ConsumerRecord<byte[], byte[]> record) {
        offsets.started(new TopicPartition(record.topic(), record.partition()), record.offset());
        inFlight.put(record, dispatch(record, record, done));
    }

    private void drain() {
        for (Done<ConsumerRecord<byte[], byte[]>> next = done.poll(); next != null; next = done.poll()) {
            handle(next);
        }
    }

    private void handle(Done<ConsumerRecord<byte[], byte[]>> finished) {
        ConsumerRecord<byte[], byte[]> record = finished.key();
        if (inFlight.remove(record) == null) {
            return;
        }
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (finished.disposition() != Disposition.NOT_SENT) {
            offsets.finished(partition, record.offset());
        } else if (running() && assigned.contains(partition)) {
            metrics.released();
            start(record);
        }
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> commits = offsets.takeCommittable();
        if (!commits.isEmpty()) {
            consumer.commitAsync(commits, (committed, failure) -> {
                if (failure != null) {
                    LOG.warn("Committing offsets {} failed ({}); a later commit covers them", committed,
                            failure.getClass().getSimpleName());
                }
            });
        }
    }

    private void commitSync() {
        Map<TopicPartition, OffsetAndMetadata> commits = offsets.takeCommittable();
        if (!commits.isEmpty()) {
            consumer.commitSync(commits);
        }
    }

    private void applyBackpressure() {
        if (inFlight.size() >= maxInFlight) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /** Waits, within the shutdown timeout, until the records of these partitions are finished. */
    private void finish(Collection<TopicPartition> partitions) throws InterruptedException {
        long giveUpAt = System.nanoTime() + shutdownTimeout.toNanos();
        while (offsets.inFlight(partitions) > 0 && System.nanoTime() < giveUpAt) {
            Done<ConsumerRecord<byte[], byte[]>> next = done.poll(50, TimeUnit.MILLISECONDS);
            if (next != null) {
                handle(next);
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
            try {
                finish(partitions);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            commitSync();
            abandon(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
            abandon(partitions);
        }
    }

    /** Gives up the records of partitions no longer ours: their new owner processes them again. */
    private void abandon(Collection<TopicPartition> partitions) {
        inFlight.entrySet().removeIf(entry -> {
            boolean gone = partitions.contains(new TopicPartition(entry.getKey().topic(), entry.getKey().partition()));
            if (gone) {
                entry.getValue().cancel(false);
            }
            return gone;
        });
        offsets.forget(partitions);
    }
}
