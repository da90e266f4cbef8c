package io.parley.worker.kafka;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;

/**
 * What the classic and the share-group loops share around their different consumers: running
 * until stopped and starting again after an unexpected failure ({@link SupervisedLoop}, with its
 * restart metric), handing records to the {@link RecordProcessor} and collecting how each ended for
 * the loop's own thread (consumers are not thread-safe), and closing a consumer that may have
 * failed. A loop writes what differs: how it polls and bounds what is in flight, and how a
 * finished record is settled (offsets committed, or records acknowledged, renewed or released).
 */
abstract class ConsumerLoop implements Runnable {

    /** How long a consumer may take to close. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    protected final String topic;
    protected final RecordProcessor processor;
    protected final Duration shutdownTimeout;
    protected final WorkerMetrics metrics;
    private final Logger log;
    private final SupervisedLoop supervisor;

    /**
     * @param log the loop's own logger
     * @param name how the log names the loop ("share consumer loop")
     * @param mode the {@code mode} tag of the restart metric
     * @param restarts how soon a loop that failed unexpectedly starts again
     */
    ConsumerLoop(Logger log, String name, String mode, String topic, RecordProcessor processor, Duration shutdownTimeout,
                 WorkerMetrics metrics, LoopRestarts restarts) {
        this.log = log;
        this.topic = topic;
        this.processor = processor;
        this.shutdownTimeout = shutdownTimeout;
        this.metrics = metrics;
        this.supervisor = new SupervisedLoop(log, name, mode, topic, restarts, metrics);
    }

    /** Asks the loop to finish; it returns within its poll timeout plus the shutdown timeout. */
    final void stop() {
        supervisor.stop();
    }

    /** Consumes until stopped; see {@link SupervisedLoop} for what happens on an unexpected failure. */
    @Override
    public final void run() {
        supervisor.run(this::consume);
    }

    /** One life of the loop, with a new consumer: polls until stopped or failed, and closes the consumer. */
    protected abstract void consume() throws InterruptedException;

    protected final boolean running() {
        return supervisor.running();
    }

    /**
     * Hands a record to the processor; how it ended (a failure counts as {@link Disposition#NOT_SENT})
     * is queued to {@code done} under {@code key}, for the loop's thread to settle.
     */
    protected final <K> CompletableFuture<Disposition> dispatch(ConsumerRecord<byte[], byte[]> record, K key,
                                                               BlockingQueue<Done<K>> done) {
        CompletableFuture<Disposition> disposition = processor.process(record);
        disposition.whenComplete((result, failure) -> done.add(new Done<>(key, failure == null ? result : Disposition.NOT_SENT)));
        return disposition;
    }

    /** Closes a consumer; one that failed may not close cleanly either, which is only worth a debug line. */
    protected final void closeQuietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            log.debug("Closing the consumer of {} failed", topic, e);
        }
    }

    /** How a dispatched record ended. */
    protected record Done<K>(K key, Disposition disposition) {
    }
}
