package io.parley.bench.scenario;

import io.parley.bench.load.ExpectedReply;
import io.parley.bench.load.LoadDriver;
import io.parley.bench.load.PhaseResult;
import io.parley.bench.load.Workload;
import io.parley.bench.pipeline.PipelineFactory;
import io.parley.bench.pipeline.PipelineUnavailableException;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.pipeline.ProcessorPlacement;
import io.parley.bench.pipeline.PunctuationStats;
import io.parley.bench.pipeline.RocksDbMemory;
import io.parley.bench.pipeline.StateProbe;
import io.parley.bench.report.Figures;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import io.parley.bench.report.Target;
import io.parley.schemas.ReplyKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * S5: the cost of holding many live sessions. Seeds {@code sessions} conversations (one
 * message each, no backend call), lets the processor settle, then reads its resident set and
 * RocksDB memory, and the deadline punctuator's cost per run: first with nothing due, then
 * while {@code dueDeadlines} backend calls, to a backend slower than the turn timeout, come due.
 *
 * <p>The processor runs in a JVM of its own (see {@link ProcessorPlacement#CHILD_JVM}).
 */
public final class StateScaleScenario implements Scenario {

    /**
     * The child processor's heap. Resident set tracks committed heap, so without an explicit
     * heap the figure would follow the JVM's ergonomics (a quarter of this machine's memory),
     * not the processor. 512 MB leaves room under the 768 MB target for RocksDB's capped
     * memory, metaspace and thread stacks; the report shows it beside the figure.
     */
    static final String PROCESSOR_HEAP = "512m";
    static final Duration TURN_TIMEOUT = Duration.ofSeconds(2);
    /** Far past the turn timeout, so the due turns' deadlines fire before any answer. */
    static final Duration SLOW_BACKEND = Duration.ofSeconds(60);
    static final Duration SETTLE = Duration.ofSeconds(5);
    static final Duration IDLE_WINDOW = Duration.ofSeconds(10);

    /**
     * How long the processor's punctuation timer remembers its longest run: Micrometer's default
     * distribution expiry (2 minutes), and a little more.
     */
    static final Duration MAX_DECAY = Duration.ofSeconds(130);
    /**
     * A due turn is over when its deadline fired: the fallback, or the connector's own TIMEOUT answer
     * when it reaches the processor first (both come at the deadline). Its interim comes before.
     */
    static final ExpectedReply DUE = ExpectedReply.ofKinds(ReplyKind.FALLBACK, ReplyKind.ANSWER);

    private final PipelineFactory factory;

    public StateScaleScenario(PipelineFactory factory) {
        this.factory = factory;
    }

    @Override
    public String id() {
        return "S5";
    }

    @Override
    public String title() {
        return "scale of state (live sessions)";
    }

    @Override
    public Map<String, Object> configuration(ScenarioContext context) {
        BenchSettings settings = context.settings();
        Map<String, Object> configuration = new LinkedHashMap<>(settings.describe());
        configuration.put("pipeline", factory.description());
        configuration.put("processing.guarantee", ProcessingGuarantee.AT_LEAST_ONCE.configValue());
        configuration.put("commit.interval", Figures.duration(ProcessingGuarantee.AT_LEAST_ONCE.defaultCommitInterval()));
        configuration.put("processor.placement", "child JVM, -Xmx" + PROCESSOR_HEAP);
        configuration.put("sessions", settings.sessions());
        configuration.put("dueDeadlines", settings.dueDeadlines());
        configuration.put("turn.timeout", Figures.duration(TURN_TIMEOUT));
        configuration.put("settle", Figures.duration(SETTLE));
        configuration.put("idleWindow", Figures.duration(IDLE_WINDOW));
        configuration.put("due.warmUp", settings.dueDeadlines() + " due turns before seeding, at least "
                + Figures.duration(MAX_DECAY) + " before the measured ones");
        return configuration;
    }

    @Override
    public List<Measurement> planned(ScenarioContext context) {
        return lines(context.settings(), null, null, null, null);
    }

    private List<Measurement> lines(BenchSettings settings, StateProbeReading reading, PunctuationStats idle,
                                    PunctuationStats due, Long liveSessions) {
        String at = " at " + Figures.count(settings.sessions()) + " sessions";
        Optional<Target> rssTarget = settings.sessions() == Targets.RSS_TARGET_SESSIONS
                ? Optional.of(Targets.PROCESSOR_RSS_MB)
                : Optional.empty();
        List<Measurement> lines = new ArrayList<>();
        lines.add(Outcomes.line("rss", "processor RSS" + at, "MB",
                reading == null ? OptionalDouble.empty() : mb(reading.residentBytes()), rssTarget));
        lines.add(Outcomes.line("maxHeap", "processor max heap", "MB",
                reading == null ? OptionalDouble.empty() : mb(reading.maxHeapBytes()), Optional.empty()));
        lines.add(Outcomes.line("rocksdb.total", "RocksDB memory (shared cache incl. memtables, + table readers)" + at, "MB",
                reading == null ? OptionalDouble.empty() : mb(reading.rocksDb().total()), Optional.empty()));
        lines.add(Outcomes.line("rocksdb.blockCache", "RocksDB block cache usage", "MB",
                reading == null ? OptionalDouble.empty() : mb(reading.rocksDb().blockCacheUsage()), Optional.empty()));
        lines.add(Outcomes.line("rocksdb.memTables", "RocksDB memtables (within the cache)", "MB",
                reading == null ? OptionalDouble.empty() : mb(reading.rocksDb().memTables()), Optional.empty()));
        lines.add(Outcomes.line("liveSessions", "sessions in store", "sessions",
                liveSessions == null ? OptionalDouble.empty() : OptionalDouble.of(liveSessions), Optional.empty()));
        lines.add(Outcomes.line("punctuate.idle.mean", "punctuator mean per run, 0 due", "ms",
                idle == null ? OptionalDouble.empty() : OptionalDouble.of(idle.meanNanos() / 1e6), Optional.empty()));
        lines.add(Outcomes.line("punctuate.due.mean", "punctuator mean per run, " + settings.dueDeadlines() + " due", "ms",
                due == null ? OptionalDouble.empty() : OptionalDouble.of(due.meanNanos() / 1e6), Optional.empty()));
        lines.add(Outcomes.line("punctuate.due.max", "punctuator longest run, " + settings.dueDeadlines() + " due", "ms",
                due == null ? OptionalDouble.empty() : OptionalDouble.of(due.maxNanos() / 1e6), Optional.empty()));
        return lines;
    }

    private static OptionalDouble mb(long bytes) {
        return OptionalDouble.of(Figures.mebibytes(bytes));
    }

    /** Turns whose backend call outlasts the turn timeout, so their interim and deadline fire. */
    private static Workload dueTurns(String prefix, BenchSettings settings) {
        return new Workload(PipelineRun.CHANNEL, Workload.ORDER_STATUS_TEXT, prefix, settings.dueDeadlines());
    }

    /** One reading of the processor's memory. */
    private record StateProbeReading(long residentBytes, long maxHeapBytes, RocksDbMemory rocksDb) {

        static StateProbeReading of(StateProbe probe) {
            return new StateProbeReading(probe.processorResidentBytes(), probe.processorMaxHeapBytes(), probe.rocksDbMemory());
        }
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        BenchSettings settings = context.settings();
        PipelineRun.Request request = new PipelineRun.Request(ProcessingGuarantee.AT_LEAST_ONCE,
                ProcessingGuarantee.AT_LEAST_ONCE.defaultCommitInterval(),
                SLOW_BACKEND, TURN_TIMEOUT, OptionalInt.empty(), ProcessorPlacement.CHILD_JVM, Optional.of(PROCESSOR_HEAP));
        Map<String, Object> configuration = new LinkedHashMap<>(configuration(context));
        List<PhaseResult> phases = new ArrayList<>();
        StateProbeReading reading;
        PunctuationStats idle;
        PunctuationStats due;
        long liveSessions;
        try (PipelineRun run = PipelineRun.start(context, id(), factory, request);
             LoadDriver load = context.loadDriver(run.topics().topics().chatEvents(), run.topics().topics().defaultReplies())) {
            run.pipeline().effectiveSettings().forEach((k, v) -> configuration.put("pipeline." + k, v));
            StateProbe probe = run.pipeline().stateProbe();

            // The first deadlines a JVM fires run cold code (class loading, JIT); fire a round before
            // seeding, so the measured round shows the steady cost, not the first time.
            phases.add(load.maxRate("S5.due.warmUp", dueTurns("s5-warm-", settings), settings.dueDeadlines(), 0, DUE));
            long warmedUpAt = System.nanoTime();

            // Any reply to the seeding message means its session is stored.
            Workload seeding = new Workload(PipelineRun.CHANNEL, PipelineRun.SESSION_TEXT, "s5-", settings.sessions());
            phases.add(load.maxRate("S5.seed", seeding, settings.sessions(), 0, ExpectedReply.anyReply()));
            load.idle(SETTLE);
            reading = StateProbeReading.of(probe);
            liveSessions = probe.liveSessions();

            PunctuationStats beforeIdle = probe.punctuations();
            load.idle(IDLE_WINDOW);
            PunctuationStats afterIdle = probe.punctuations();
            idle = afterIdle.since(beforeIdle);

            // The timer's maximum decays over minutes: let the warm-up round's runs leave it first.
            load.idle(Duration.ofNanos(Math.max(0, warmedUpAt + MAX_DECAY.toNanos() - System.nanoTime())));
            PunctuationStats beforeDue = probe.punctuations();
            phases.add(load.maxRate("S5.due", dueTurns("s5-due-", settings), settings.dueDeadlines(), 0, DUE));
            due = probe.punctuations().since(beforeDue);
        } catch (PipelineUnavailableException e) {
            return ScenarioResult.skipped(id(), title(), e.getMessage(), configuration(context), planned(context));
        }
        return Outcomes.of(this, configuration, phases, lines(settings, reading, idle, due, liveSessions));
    }
}
