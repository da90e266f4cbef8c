package io.parley.processor.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.processor.conversation.ConversationMetrics;
import io.parley.processor.conversation.TurnOutcome;
import io.parley.schemas.ReplyKind;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The processor's own metrics, next to the Kafka Streams ones. Prometheus names:
 * {@code parley_turns_total{intent,outcome}}, {@code parley_turn_latency_seconds{kind}} (event time
 * to reply), {@code parley_backend_requests_total{connector,operation}}, {@code parley_pending_calls},
 * {@code parley_interims_total}, {@code parley_timeouts_total{connector,operation}},
 * {@code parley_late_answers_total{delivered}}, {@code parley_duplicates_total{what}},
 * {@code parley_skipped_records_total{reason}}, {@code parley_notifications_total{outcome}},
 * {@code parley_sessions_expired_total}, {@code parley_index_entries_read_total{index}},
 * {@code parley_punctuation_seconds} (count, sum, max of the conversation punctuator's runs),
 * {@code parley_conversation_partition_moves_total} (events of a conversation split over partitions),
 * {@code parley_results_too_large_total{connector,operation}}, {@code parley_sessions_too_large_total},
 * {@code parley_turns_over_budget_total}, {@code parley_records_too_large_total{topic}} (records Kafka
 * refused and that were dropped) and {@code parley_stream_busy_seconds} (the longest time a stream
 * thread has been on its current record; see {@link StreamProgress}); restores are counted by
 * {@link StateRestoreMetrics} as {@code parley_state_restored_records_total{store}}.
 */
public final class ProcessorMetrics implements ConversationMetrics {

    /** Histogram buckets of the turn latency: from a quick answer to past the longest deadline. */
    static final Duration[] TURN_LATENCY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
            Duration.ofSeconds(15), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final Timer punctuation;
    private final Counter partitionMoves;
    /** Pending calls per stream task, so a task that moves away takes its count with it. */
    private final Map<String, AtomicLong> pendingByTask = new ConcurrentHashMap<>();
    private final StreamProgress progress;

    public ProcessorMetrics(MeterRegistry registry) {
        this(registry, new StreamProgress(System::nanoTime));
    }

    /** @param progress where the stream threads report the record they are on (a test gives it its own clock) */
    public ProcessorMetrics(MeterRegistry registry, StreamProgress progress) {
        this.registry = registry;
        this.progress = progress;
        Gauge.builder("parley.stream.busy", progress, p -> p.longestBusy().toNanos() / 1e9)
                .description("The longest time a stream thread of this instance has been on its current record, in seconds")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("parley.pending.calls", pendingByTask,
                        tasks -> tasks.values().stream().mapToLong(AtomicLong::get).sum())
                .description("Backend calls sent and not yet answered or timed out, on this instance")
                .register(registry);
        // Registered at once, so /metrics shows 0 (and an increase can be computed) before the first move.
        this.partitionMoves = Counter.builder("parley.conversation.partition.moves")
                .description("Chat events that arrived on another partition than their conversation's previous event")
                .register(registry);
        this.punctuation = Timer.builder("parley.punctuation")
                .description("Time one run of the conversation punctuator takes (due deadlines, interims, expiries)")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void turnEnded(String intent, TurnOutcome outcome) {
        Counter.builder("parley.turns").description("Turns ended, by intent and outcome")
                .tag("intent", intent).tag("outcome", lower(outcome.name()))
                .register(registry).increment();
    }

    @Override
    public void replySent(ReplyKind kind, long latencyMillis) {
        Timer.builder("parley.turn.latency").description("Time from the user's event to the reply")
                .tag("kind", lower(kind.name()))
                // Fixed buckets, so dashboards and alerts can compute percentiles across instances.
                .serviceLevelObjectives(TURN_LATENCY_BUCKETS)
                .register(registry).record(Duration.ofMillis(latencyMillis));
    }

    @Override
    public void requestIssued(String connector, String operation) {
        Counter.builder("parley.backend.requests").description("Backend requests issued")
                .tag("connector", connector).tag("operation", operation)
                .register(registry).increment();
    }

    @Override
    public void interimSent() {
        registry.counter("parley.interims").increment();
    }

    @Override
    public void callTimedOut(String connector, String operation) {
        Counter.builder("parley.timeouts").description("Backend calls unanswered at their deadline")
                .tag("connector", connector).tag("operation", operation)
                .register(registry).increment();
    }

    @Override
    public void lateAnswer(boolean delivered) {
        Counter.builder("parley.late.answers").description("Backend answers after their deadline")
                .tag("delivered", Boolean.toString(delivered))
                .register(registry).increment();
    }

    @Override
    public void duplicate(String what) {
        Counter.builder("parley.duplicates").description("Duplicates dropped").tag("what", what)
                .register(registry).increment();
    }

    @Override
    public void resultTooLarge(String connector, String operation) {
        Counter.builder("parley.results.too.large").description("Backend results larger than limits.maxResultBytes")
                .tag("connector", connector).tag("operation", operation)
                .register(registry).increment();
    }

    @Override
    public void sessionTooLarge() {
        Counter.builder("parley.sessions.too.large").description("Turns ended because the session would exceed limits.maxSessionBytes")
                .register(registry).increment();
    }

    @Override
    public void turnOverBudget() {
        Counter.builder("parley.turns.over.budget").description("Turns ended because they took more CPU than limits.turnCpuBudget")
                .register(registry).increment();
    }

    /** A record Kafka refused as too large was dropped (the last line of defence; the limits should prevent it). */
    public void recordTooLarge(String topic) {
        Counter.builder("parley.records.too.large").description("Output records Kafka refused as too large, dropped")
                .tag("topic", topic).register(registry).increment();
    }

    /** Where the stream threads report the record they are on; readiness reads it. */
    public StreamProgress progress() {
        return progress;
    }

    /** A record was skipped (logged at WARN with topic, partition and offset by the caller). */
    public void skipped(String reason) {
        Counter.builder("parley.skipped.records").description("Input records skipped, by reason").tag("reason", reason)
                .register(registry).increment();
    }

    /**
     * A chat event arrived on another partition than its conversation's previous event: the
     * conversation's producers partition keys differently (logged once per conversation by the caller).
     */
    public void conversationPartitionMove() {
        partitionMoves.increment();
    }

    public void notification(String outcome) {
        Counter.builder("parley.notifications").description("Notifications handled, by outcome").tag("outcome", outcome)
                .register(registry).increment();
    }

    public void sessionsExpired(int count) {
        registry.counter("parley.sessions.expired").increment(count);
    }

    /** Entries a punctuator read from a time index; proves the scans touch due entries only. */
    public void indexEntriesRead(String index, int count) {
        Counter.builder("parley.index.entries.read").description("Entries read by punctuator range scans")
                .tag("index", index).register(registry).increment(count);
    }

    /**
     * Runs one punctuation and records how long it took. Its cost should follow the due entries,
     * not the sessions held; this timer is how an operator (and the benchmark) sees that.
     */
    public void timePunctuation(Runnable punctuation) {
        this.punctuation.record(punctuation);
    }

    /** The pending-call count of a stream task, starting at {@code initial} (what its restored state holds). */
    public AtomicLong pendingCalls(String task, long initial) {
        AtomicLong count = new AtomicLong(initial);
        pendingByTask.put(task, count);
        return count;
    }

    /** A task was closed (or moved to another instance). */
    public void forgetTask(String task) {
        pendingByTask.remove(task);
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
