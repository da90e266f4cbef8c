package io.parley.worker.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
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
final class ShareGroupLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration OUTAGE_WAIT = Duration.ofSeconds(1);

    private final Supplier<ShareConsumer<byte[], byte[]>> consumers;
    private final String topic;
    private final RecordProcessor processor;
    private final Duration shutdownTimeout;
    private final WorkerMetrics metrics;
    private final Reachability brokers;
    private final LoopRestarts restarts;
    private final Object stopped = new Object();
    private volatile boolean running = true;

    /**
     * @param consumers makes a new share consumer; one is made at start, after an outage and after a failure
     * @param brokers whether Kafka is reachable: while it is not, the loop holds no consumer
     * @param restarts how soon a loop that failed unexpectedly starts again
     */
    ShareGroupLoop(Supplier<ShareConsumer<byte[], byte[]>> consumers, String topic, RecordProcessor processor,
                   Duration shutdownTimeout, WorkerMetrics metrics, Reachability brokers, LoopRestarts restarts) {
        this.restarts = restarts;
        this.consumers = consumers;
        this.topic = topic;
        this.processor = processor;
        this.shutdownTimeout = shutdownTimeout;
        this.metrics = metrics;
        this.brokers = brokers;
    }

    /** Asks the loop to finish; it returns within the poll timeout plus the shutdown timeout. */
    void stop() {
        running = false;
        synchronized (stopped) {
            stopped.notifyAll();
        }
    }

    /**
     * Consumes until stopped. A failure nobody expected (a bug, a client in a state it cannot leave)
     * does not leave the worker without this loop: it is logged once, counted, and a new consumer
     * starts after a backoff that grows while the failures go on.
     */
    @Override
    public void run() {
        int failures = 0;
        while (running) {
            long started = System.nanoTime();
            try {
                consume();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures = restarts.failuresInARow(failures, Duration.ofNanos(System.nanoTime() - started));
                Duration wait = restarts.backoff(failures);
                metrics.loopRestarted("share");
                LOG.error("The share consumer loop of {} failed ({} in a row); a new consumer starts in {} ms", topic, failures,
                        wait.toMillis(), e);
                if (!waitUnlessStopped(wait)) {
                    return;
                }
            }
        }
    }

    /** Waits, or less if stopped; false when interrupted. */
    private boolean waitUnlessStopped(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        synchronized (stopped) {
            while (running) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(stopped, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void consume() throws InterruptedException {
        ShareConsumer<byte[], byte[]> consumer = null;
        try {
            while (running) {
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
                close(consumer);
            }
        }
    }

    private void close(ShareConsumer<byte[], byte[]> consumer) {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            // A consumer that failed may not close cleanly either; its records return when their locks expire.
            LOG.debug("Closing the share consumer of {} failed", topic, e);
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
        Map<ConsumerRecord<byte[], byte[]>, CompletableFuture<Disposition>> pending = new LinkedHashMap<>();
        BlockingQueue<Done> done = new LinkedBlockingQueue<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            CompletableFuture<Disposition> disposition = processor.process(record);
            pending.put(record, disposition);
            disposition.whenComplete((result, failure) -> done.add(new Done(record, failure == null ? result : Disposition.NOT_SENT)));
        }
        try {
            awaitBatch(consumer, pending, done);
        } catch (RuntimeException e) {
            // The loop fails: what is still running is given up, so it is not answered twice once redelivered.
            List.copyOf(pending.values()).forEach(disposition -> disposition.cancel(false));
            throw e;
        }
    }

    private void awaitBatch(ShareConsumer<byte[], byte[]> consumer,
                            Map<ConsumerRecord<byte[], byte[]>, CompletableFuture<Disposition>> pending,
                            BlockingQueue<Done> done) throws InterruptedException {
        long releaseAt = Long.MAX_VALUE;
        while (!pending.isEmpty()) {
            Done first = done.poll(100, TimeUnit.MILLISECONDS);
            if (first != null) {
                acknowledge(consumer, first, pending);
                for (Done next = done.poll(); next != null; next = done.poll()) {
                    acknowledge(consumer, next, pending);
                }
                consumer.commitAsync();
            }
            if (!running && releaseAt == Long.MAX_VALUE) {
                releaseAt = System.nanoTime() + shutdownTimeout.toNanos();
            }
            if (!brokers.reachable()) {
                // Nothing can be acknowledged (nor, soon, produced) now: the records go back to the group.
                releaseAt = System.nanoTime();
            }
            if (System.nanoTime() >= releaseAt) {
                // Shutting down and the calls did not finish in time: give the records back to the group.
                List.copyOf(pending.values()).forEach(disposition -> disposition.cancel(false));
            }
        }
        consumer.commitAsync();
    }

    private void acknowledge(ShareConsumer<byte[], byte[]> consumer, Done done,
                             Map<ConsumerRecord<byte[], byte[]>, CompletableFuture<Disposition>> pending) {
        if (pending.remove(done.record()) == null) {
            return;
        }
        AcknowledgeType type = switch (done.disposition()) {
            case ANSWERED -> AcknowledgeType.ACCEPT;
            // Dead-lettered: nothing more can be done with it, so it must not come back.
            case DEAD_LETTERED -> AcknowledgeType.REJECT;
            case NOT_SENT -> AcknowledgeType.RELEASE;
        };
        if (type == AcknowledgeType.RELEASE) {
            metrics.released();
        }
        consumer.acknowledge(done.record(), type);
    }

    private record Done(ConsumerRecord<byte[], byte[]> record, Disposition disposition) {
    }
}
