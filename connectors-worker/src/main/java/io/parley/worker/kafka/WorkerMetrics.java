package io.parley.worker.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's own meters (connectors have theirs):
 * {@code parley.worker.records.received}, {@code parley.worker.records.answered},
 * {@code parley.worker.records.skipped} (tag {@code reason}: dead-lettered records),
 * {@code parley.worker.records.released} (records given back to the share group or re-processed),
 * {@code parley.worker.responses.too.large} (answers replaced by {@code RESPONSE_TOO_LARGE} because
 * Kafka cannot take them), {@code parley.worker.consumer.restarts} (tag {@code mode}: consumer loops
 * started again after an unexpected failure), {@code parley.worker.locks.renewed} (share-group
 * acquisition locks renewed for calls that outlive them), {@code parley.worker.inflight} (gauge: records being processed).
 */
public final class WorkerMetrics {

    public static final String RECEIVED = "parley.worker.records.received";
    public static final String ANSWERED = "parley.worker.records.answered";
    public static final String SKIPPED = "parley.worker.records.skipped";
    public static final String RELEASED = "parley.worker.records.released";
    public static final String IN_FLIGHT = "parley.worker.inflight";
    public static final String RESPONSES_TOO_LARGE = "parley.worker.responses.too.large";
    public static final String LOOP_RESTARTS = "parley.worker.consumer.restarts";
    public static final String LOCKS_RENEWED = "parley.worker.locks.renewed";

    private final MeterRegistry registry;
    private final Counter received;
    private final Counter answered;
    private final Counter released;
    private final Counter responsesTooLarge;
    private final AtomicInteger inFlight = new AtomicInteger();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.received = Counter.builder(RECEIVED).description("Request records received").register(registry);
        this.answered = Counter.builder(ANSWERED).description("Requests whose response was sent").register(registry);
        this.released = Counter.builder(RELEASED).description("Records released for another delivery").register(registry);
        this.responsesTooLarge = Counter.builder(RESPONSES_TOO_LARGE)
                .description("Answers too large for a response record, answered RESPONSE_TOO_LARGE").register(registry);
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get).description("Records being processed").register(registry);
    }

    void received() {
        received.increment();
        inFlight.incrementAndGet();
    }

    void answered() {
        answered.increment();
    }

    void done() {
        inFlight.decrementAndGet();
    }

    void released() {
        released.increment();
    }

    void renewed(int records) {
        Counter.builder(LOCKS_RENEWED).description("Acquisition locks renewed for calls that outlive them")
                .register(registry).increment(records);
    }

    void loopRestarted(String mode) {
        Counter.builder(LOOP_RESTARTS).description("Consumer loops started again after an unexpected failure")
                .tag("mode", mode).register(registry).increment();
    }

    void responseTooLarge() {
        responsesTooLarge.increment();
    }

    void skipped(String reason) {
        Counter.builder(SKIPPED).description("Request records sent to the dead-letter topic")
                .tag("reason", reason).register(registry).increment();
    }

    /** How many responses were sent; the worker's count of finished work. */
    public double answeredCount() {
        return answered.count();
    }
}
