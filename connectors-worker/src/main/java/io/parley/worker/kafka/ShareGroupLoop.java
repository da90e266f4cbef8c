package io.parley.worker.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share-group consumer (KIP-932, explicit acknowledgement) and its poll loop. The records of a
 * poll are processed concurrently; each is acknowledged as soon as its response is in Kafka
 * ({@code ACCEPT}), or {@code REJECT}ed once dead-lettered, or {@code RELEASE}d for another
 * delivery when its output could not be produced. A record this worker never acknowledges (the
 * worker died) returns to the group when its acquisition lock expires.
 *
 * <p>The share consumer refuses a new poll while records of the previous one are unacknowledged,
 * so a worker runs several loops (the {@code consumers} setting) to keep fetching while calls run;
 * {@code share.acquire.mode=record_limit} keeps each loop from taking more records than it can work on.
 *
 * <p>On {@link #stop()} the loop polls no more, lets in-flight calls finish for up to the shutdown
 * timeout, releases the records still in flight, and closes the consumer.
 */
final class ShareGroupLoop extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration OUTAGE_WAIT = Duration.ofSeconds(1);
    /** The broker's default {@code group.share.record.lock.duration.ms}, until the consumer knows the group's. */
    private static final long DEFAULT_LOCK_MILLIS = 30_000;
    private static final long MIN_RENEW_MILLIS = 250;
    private static final Duration RENEW_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RENEWED_POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration RENEWED_RETRY = Duration.ofSeconds(1);

    private final Supplier<ShareConsumer<byte[], byte[]>> consumers;
    private final Reachability brokers;

    /**
     * @param consumers makes a new share consumer; one is made at start, after an outage and after a failure
     * @param brokers whether Kafka is reachable: while it is not, the loop holds no consumer
     * @param restarts how soon a loop that failed unexpectedly starts again
     */
    ShareGroupLoop(Supplier<ShareConsumer<byte[], byte[]>> consumers, String topic, RecordProcessor processor,
                   Duration shutdownTimeout, WorkerMetrics metrics, Reachability brokers, LoopRestarts restarts) {
        super(LOG, "share consumer loop", "share", topic, processor, shutdownTimeout, metrics, restarts);
        this.consumers = consumers;
        this.brokers = brokers;
    }

    @Override
    protected void consume() throws InterruptedException {
        ShareConsumer<byte[], byte[]> consumer = null;
        try {
            while (running()) {
                if (!brokers.reachable()) {
                    // A share consumer (Kafka 4.3) whose broker is gone retries its fetches without any backoff,
                    // logging each one: it is closed for the outage and a new one joins the group afterwards.
                    // Records it held return to the group when their locks expire (or the broker restarts).
                    if (consumer != null) {
                        consumer.close(Duration.ZERO);
                        consumer = null;
                    }
                    brokers.awaitReachable(OUTAGE_WAIT);
                    continue;
                }
                if (consumer == null) {
                    consumer = open();
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (!records.isEmpty()) {
                    processBatch(consumer, records);
                }
            }
        } finally {
            // Records acquired but not acknowledged are released by the broker when the consumer leaves.
            if (consumer != null) {
                // A consumer that failed may not close cleanly either; its records return when their locks expire.
                ShareConsumer<byte[], byte[]> last = consumer;
                closeQuietly(() -> last.close(CLOSE_TIMEOUT));
            }
        }
    }

    private ShareConsumer<byte[], byte[]> open() {
        ShareConsumer<byte[], byte[]> consumer = consumers.get();
        consumer.setAcknowledgementCommitCallback((offsets, failure) -> {
            if (failure != null) {
                LOG.warn("Acknowledging records of {} failed ({}); the broker will deliver them again", offsets.keySet(),
                        failure.getClass().getSimpleName());
            }
        });
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private void processBatch(ShareConsumer<byte[], byte[]> consumer, ConsumerRecords<byte[], byte[]> records)
            throws InterruptedException {
        Map<Position, InFlight> pending = new LinkedHashMap<>();
        BlockingQueue<Done<Position>> done = new LinkedBlockingQueue<>();
        records.forEach(record -> start(record, pending, done));
        try {
            awaitBatch(consumer, pending, done);
        } catch (RuntimeException e) {
            // The loop fails: what is still running is given up, so it is not answered twice once redelivered.
            List.copyOf(pending.values()).forEach(entry -> entry.disposition.cancel(false));
            throw e;
        }
    }

    private void start(ConsumerRecord<byte[], byte[]> record, Map<Position, InFlight> pending, BlockingQueue<Done<Position>> done) {
        Position position = Position.of(record);
        pending.put(position, new InFlight(record, dispatch(record, position, done)));
    }

    /**
     * Acknowledges each record as its output is in Kafka: at once while others of the batch still run, with the next
     * poll when it was the batch's last. Calls may outlive the acquisition lock
     * ({@code group.share.record.lock.duration.ms}, 30 s by default): every half lock the records
     * still being worked on are renewed (KIP-1222), so that the broker does not give them to another
     * consumer while their call runs, which would call the backend a second time.
     */
    private void awaitBatch(ShareConsumer<byte[], byte[]> consumer, Map<Position, InFlight> pending, BlockingQueue<Done<Position>> done)
            throws InterruptedException {
        long releaseAt = Long.MAX_VALUE;
        long renewAt = System.nanoTime() + renewAfter(consumer).toNanos();
        while (!pending.isEmpty()) {
            Done<Position> first = done.poll(100, TimeUnit.MILLISECONDS);
            if (first != null) {
                boolean acknowledged = finish(consumer, first, pending, releaseAt != Long.MAX_VALUE);
                for (Done<Position> next = done.poll(); next != null; next = done.poll()) {
                    acknowledged |= finish(consumer, next, pending, releaseAt != Long.MAX_VALUE);
                }
                if (acknowledged && !pending.isEmpty()) {
                    // Answered while others of the batch still run: acknowledged now, not held back by a slow call.
                    consumer.commitAsync();
                }
            }
            if (!running() && releaseAt == Long.MAX_VALUE) {
                releaseAt = System.nanoTime() + shutdownTimeout.toNanos();
            }
            if (!brokers.reachable()) {
                // Nothing can be acknowledged (nor, soon, produced) now: the records go back to the group.
                releaseAt = System.nanoTime();
            }
            if (System.nanoTime() >= releaseAt) {
                // Shutting down and the calls did not finish in time: give the records back to the group.
                List.copyOf(pending.values()).forEach(entry -> entry.disposition.cancel(false));
                pending.values().removeIf(entry -> entry.renewing);
            } else if (!pending.isEmpty() && System.nanoTime() >= renewAt) {
                renew(consumer, pending, done);
                // Renewed records not handed back yet are asked for again soon, the others at the next half lock.
                Duration next = pending.values().stream().anyMatch(e -> e.renewing) ? RENEWED_RETRY : renewAfter(consumer);
                renewAt = System.nanoTime() + next.toNanos();
            }
        }
        if (!running()) {
            consumer.commitAsync();
        }
        // Otherwise the batch's last acknowledgements travel with the fetch of the next poll, which follows at once:
        // one request to the broker instead of an acknowledgement request and a fetch (and one write of the share
        // group's state fewer).
    }

    private static Duration renewAfter(ShareConsumer<byte[], byte[]> consumer) {
        long lockMillis = consumer.acquisitionLockTimeoutMs().map(Integer::longValue).orElse(DEFAULT_LOCK_MILLIS);
        return Duration.ofMillis(Math.max(MIN_RENEW_MILLIS, lockMillis / 2));
    }

    /**
     * Renews the locks of the records still in flight: RENEW, sent at once, and the next poll hands
     * the renewed records back (it fetches no new ones while it does). A record whose renewal was
     * refused, or that does not come back, is given up: the broker delivers it again.
     */
    private void renew(ShareConsumer<byte[], byte[]> consumer, Map<Position, InFlight> pending, BlockingQueue<Done<Position>> done) {
        long now = System.nanoTime();
        int renewing = 0;
        for (InFlight entry : pending.values()) {
            if (!entry.renewing) {
                consumer.acknowledge(entry.record, AcknowledgeType.RENEW);
                entry.renewing = true;
                entry.renewingSince = now;
                renewing++;
            }
        }
        Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync(RENEW_TIMEOUT);
        results.forEach((partition, failure) -> failure.ifPresent(e -> giveUp(pending, partition.topic(), partition.partition(),
                "its lock could not be renewed (" + e.getClass().getSimpleName() + ")")));
        if (renewing > 0) {
            metrics.renewed(renewing);
        }
        boolean acknowledged = false;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(RENEWED_POLL_TIMEOUT)) {
            Position position = Position.of(record);
            InFlight entry = pending.get(position);
            if (entry == null) {
                start(record, pending, done);
                continue;
            }
            entry.record = record;
            entry.renewing = false;
            if (entry.finished != null) {
                pending.remove(position);
                acknowledge(consumer, record, entry.finished);
                acknowledged = true;
            }
        }
        if (acknowledged) {
            consumer.commitAsync();
        }
        long lockNanos = renewAfter(consumer).toNanos() * 2;
        List.copyOf(pending.entrySet()).stream()
                .filter(e -> e.getValue().renewing && now - e.getValue().renewingSince > lockNanos)
                .forEach(e -> giveUp(pending, e.getKey().topic(), e.getKey().partition(), "its renewed lock was not handed back"));
    }

    private void giveUp(Map<Position, InFlight> pending, String topic, int partition, String reason) {
        pending.entrySet().removeIf(e -> {
            boolean gone = e.getValue().renewing && e.getKey().topic().equals(topic) && e.getKey().partition() == partition;
            if (gone) {
                e.getValue().disposition.cancel(false);
                metrics.released();
                LOG.warn("Record {}-{}@{} is given back to the group: {}", topic, partition, e.getKey().offset(), reason);
            }
            return gone;
        });
    }

    /** Acknowledges a finished record, or keeps its outcome while its lock is being renewed; true if acknowledged. */
    private boolean finish(ShareConsumer<byte[], byte[]> consumer, Done<Position> done, Map<Position, InFlight> pending, boolean releasing) {
        InFlight entry = pending.get(done.key());
        if (entry == null) {
            return false;
        }
        if (entry.renewing) {
            if (releasing) {
                pending.remove(done.key());
            } else {
                // Not in the consumer's hands until the renewal is handed back: acknowledged then.
                entry.finished = done.disposition();
            }
            return false;
        }
        pending.remove(done.key());
        acknowledge(consumer, entry.record, done.disposition());
        return true;
    }

    private void acknowledge(ShareConsumer<byte[], byte[]> consumer, ConsumerRecord<byte[], byte[]> record, Disposition disposition) {
        AcknowledgeType type = switch (disposition) {
            case ANSWERED -> AcknowledgeType.ACCEPT;
            // Dead-lettered: nothing more can be done with it, so it must not come back.
            case DEAD_LETTERED -> AcknowledgeType.REJECT;
            case NOT_SENT -> AcknowledgeType.RELEASE;
        };
        if (type == AcknowledgeType.RELEASE) {
            metrics.released();
        }
        consumer.acknowledge(record, type);
    }

    /** Where a record is: a renewed record is handed back as a new object. */
    private record Position(String topic, int partition, long offset) {

        static Position of(ConsumerRecord<?, ?> record) {
            return new Position(record.topic(), record.partition(), record.offset());
        }
    }

    /** A record being worked on. */
    private static final class InFlight {

        ConsumerRecord<byte[], byte[]> record;
        final CompletableFuture<Disposition> disposition;
        /** Acknowledged RENEW, and not handed back by a poll yet. */
        boolean renewing;
        long renewingSince;
        /** How it ended, when it ended while renewing. */
        Disposition finished;

        InFlight(ConsumerRecord<byte[], byte[]> record, CompletableFuture<Disposition> disposition) {
            this.record = record;
            this.disposition = disposition;
        }
    }
}
