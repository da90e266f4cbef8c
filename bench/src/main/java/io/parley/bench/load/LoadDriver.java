package io.parley.bench.load;

import io.parley.bench.report.PhaseSummary;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.topics.Topic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers chat turns to a system under test and measures its replies, in phases:
 * <ul>
 *   <li>{@link #maxRate}: as fast as the system answers, with at most
 *       {@link LoadSettings#maxInFlight()} turns unanswered, for throughput;</li>
 *   <li>{@link #fixedRate}: open loop at a fixed offered rate, for latency; sends keep their
 *       schedule whatever the replies do (see {@link OpenLoopPacer}).</li>
 * </ul>
 * Latency runs from a turn's intended start to the moment its reply is consumed; the event's
 * {@code occurredAt} is that intended start in wall-clock time. One producer serves all phases.
 */
public final class LoadDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadDriver.class);

    private final Map<String, Object> clientConfig;
    private final Topic<String, ChatEvent> events;
    private final Topic<String, ChatReply> replies;
    private final LoadSettings settings;
    private final NanoTimer timer;
    private final Clock clock;
    private final ProcessCpu cpu;
    private final KafkaProducer<String, ChatEvent> producer;

    /**
     * @param clientConfig bootstrap servers and shared client settings
     * @param events where turns are sent
     * @param replies where the system under test answers
     */
    public LoadDriver(Map<String, Object> clientConfig, Topic<String, ChatEvent> events, Topic<String, ChatReply> replies,
                      LoadSettings settings, NanoTimer timer, Clock clock, ProcessCpu cpu) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.events = events;
        this.replies = replies;
        this.settings = settings;
        this.timer = timer;
        this.clock = clock;
        this.cpu = cpu;
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-load-" + events.name());
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), events.valueSerde().serializer());
    }

    /**
     * Sends {@code messages} turns as fast as replies free in-flight slots.
     *
     * @param phase a name unique in the run, part of every event id
     * @param expected the reply that answers a turn as the scenario intends
     */
    public PhaseResult maxRate(String phase, Workload workload, int messages, int warmUp, ExpectedReply expected)
            throws InterruptedException {
        TurnIds ids = new TurnIds(phase);
        TurnEvents turns = new TurnEvents(workload, ids);
        Semaphore inFlight = new Semaphore(settings.maxInFlight());
        LatencyHistogram latency = new LatencyHistogram(settings.highestLatency());
        TurnLedger ledger = new TurnLedger(messages, warmUp, latency, turn -> inFlight.release());
        LOG.info("Phase {}: {} turns at maximum rate, {} in flight at most, warm-up {}", phase, messages,
                settings.maxInFlight(), warmUp);
        OptionalLong cpuAtStart = cpu.nanos();
        try (ReplyCollector collector = new ReplyCollector(clientConfig, replies, ids, ledger, expected, timer)) {
            collector.start();
            for (int seq = 0; seq < messages; seq++) {
                if (!inFlight.tryAcquire(settings.stallTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                    LOG.warn("Phase {}: no reply for {}; stopped sending at turn {}", phase, settings.stallTimeout(), seq);
                    break;
                }
                long startNanos = timer.nanoTime();
                ledger.sent(seq, startNanos);
                send(turns, seq, clock.instant(), ledger);
            }
            return finish(phase, OptionalDouble.empty(), ledger, latency, collector, cpuAtStart);
        }
    }

    /**
     * Sends {@code messages} turns at {@code perSecond}, open loop.
     *
     * @param phase a name unique in the run, part of every event id
     * @param expected the reply that answers a turn as the scenario intends
     */
    public PhaseResult fixedRate(String phase, Workload workload, double perSecond, int messages, int warmUp,
                                 ExpectedReply expected) throws InterruptedException {
        TurnIds ids = new TurnIds(phase);
        TurnEvents turns = new TurnEvents(workload, ids);
        LatencyHistogram latency = new LatencyHistogram(settings.highestLatency());
        TurnLedger ledger = new TurnLedger(messages, warmUp, latency, turn -> { });
        LOG.info("Phase {}: {} turns offered at {}/s, warm-up {}", phase, messages, perSecond, warmUp);
        OptionalLong cpuAtStart = cpu.nanos();
        try (ReplyCollector collector = new ReplyCollector(clientConfig, replies, ids, ledger, expected, timer)) {
            collector.start();
            long startNanos = timer.nanoTime();
            Instant startWall = clock.instant();
            OpenLoopPacer pacer = new OpenLoopPacer(perSecond, startNanos, timer);
            for (int seq = 0; seq < messages; seq++) {
                long due = pacer.awaitDue(seq);
                ledger.sent(seq, due);
                send(turns, seq, startWall.plusNanos(due - startNanos), ledger);
            }
            return finish(phase, OptionalDouble.of(perSecond), ledger, latency, collector, cpuAtStart);
        }
    }

    private void send(TurnEvents turns, int seq, Instant createdAt, TurnLedger ledger) {
        ProducerRecord<String, ChatEvent> record = new ProducerRecord<>(events.name(), turns.key(seq), turns.event(seq, createdAt));
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                LOG.warn("Turn {} could not be sent: {}", seq, error.getMessage());
                ledger.sendFailed(seq, timer.nanoTime());
            }
        });
    }

    private PhaseResult finish(String phase, OptionalDouble offered, TurnLedger ledger, LatencyHistogram latency,
                               ReplyCollector collector, OptionalLong cpuAtStart) throws InterruptedException {
        producer.flush();
        boolean complete = ledger.awaitAll(settings.stallTimeout());
        ledger.finish(timer.nanoTime());
        if (collector.failure() != null) {
            throw new IllegalStateException("Phase " + phase + ": reading replies failed: " + collector.failure().getMessage(),
                    collector.failure());
        }
        if (!complete) {
            LOG.warn("Phase {}: {} of {} turns unanswered after no progress for {}", phase, ledger.unanswered(),
                    ledger.messages(), settings.stallTimeout());
        }
        if (latency.clamped() > 0) {
            LOG.warn("Phase {}: {} latencies exceeded {} and were recorded at that value", phase, latency.clamped(),
                    settings.highestLatency());
        }
        if (ledger.strays() > 0) {
            LOG.info("Phase {}: {} replies belonged to no turn of this phase", phase, ledger.strays());
        }
        OptionalLong cpuAtEnd = cpu.nanos();
        OptionalDouble cpuPerTurn = cpuAtStart.isPresent() && cpuAtEnd.isPresent()
                ? OptionalDouble.of((cpuAtEnd.getAsLong() - cpuAtStart.getAsLong()) / 1e6 / ledger.messages())
                : OptionalDouble.empty();
        PhaseSummary summary = new PhaseSummary(phase, offered, ledger.messages(), ledger.warmUp(), ledger.answered(),
                ledger.otherReplies(), ledger.duplicates(), ledger.unanswered(), ledger.elapsedSeconds(), cpuPerTurn);
        LOG.info("Phase {}: answered {}/{}, throughput {}, latency {}", phase, ledger.answered(), ledger.messages(),
                ledger.throughputPerSecond(), latency.summary());
        return new PhaseResult(summary, ledger.throughputPerSecond(), latency.summary(), complete);
    }

    /** Wait for a while without load, e.g. to let a pipeline settle; returns early if interrupted. */
    public void idle(Duration duration) {
        timer.parkUntil(timer.nanoTime() + duration.toNanos());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
