package io.parley.bench.scenario;

import io.parley.bench.backend.OrderBackend;
import io.parley.bench.kafka.ScenarioTopics;
import io.parley.bench.load.ExpectedReply;
import io.parley.bench.load.LoadDriver;
import io.parley.bench.load.PhaseResult;
import io.parley.bench.load.ProcessCpu;
import io.parley.bench.load.Workload;
import io.parley.bench.pipeline.ChildCpu;
import io.parley.bench.pipeline.FailoverPipeline;
import io.parley.bench.pipeline.PipelineConfig;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.pipeline.ProcessorOptions;
import io.parley.bench.pipeline.ProcessorPlacement;
import io.parley.bench.report.Figures;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S9: how turns/s grow with processor instances. For each instance count (1, 2 and 3 by default)
 * a fresh pipeline on fresh topics: that many processors and {@value #WORKERS} workers, each in a
 * JVM of its own, on the same broker, {@value #PARTITIONS} partitions, Parley's defaults
 * ({@code at_least_once}, commit 1 s, instance ids, no standby). A warm-up phase, then a
 * maximum-rate phase (the load generator keeps its in-flight bound of turns outstanding, so the
 * pipeline runs saturated) measures completed turns/s; the CPU each processor JVM and the workers
 * used during that phase is read from {@code /proc/<pid>/stat}, the bench JVM's (broker and load
 * generator) from the JVM. Reported: turns/s, the ratio to one instance, CPU per JVM and per turn.
 * No target: the issue asks for the figures and what they say about separate machines.
 */
public final class ScalingScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger(ScalingScenario.class);
    static final List<Integer> DEFAULT_INSTANCES = List.of(1, 2, 3);
    static final int PARTITIONS = 12;
    static final int WORKERS = 2;
    static final int CONVERSATIONS = 10_000;
    static final String PROCESSOR_HEAP = "384m";
    private static final ProcessingGuarantee GUARANTEE = ProcessingGuarantee.AT_LEAST_ONCE;
    /**
     * The processor's turn deadline. A saturated pipeline queues the load generator's in-flight
     * turns, and on a busy machine the queue can be longer than the usual 10 s deadline: the
     * fallbacks that would then answer are not what S9 measures, so the deadline is a minute.
     */
    static final Duration TURN_TIMEOUT = Duration.ofSeconds(60);
    private static final FailoverPipeline.Membership MEMBERSHIP =
            new FailoverPipeline.Membership(true, Optional.of(Duration.ofSeconds(6)), 0, false);

    private final List<Integer> instances;

    /** The default instance counts, 1, 2 and 3. */
    public ScalingScenario() {
        this(List.of());
    }

    /**
     * @param instances processor instance counts to measure, in order ({@code --s9-instances}); empty for 1, 2, 3
     * @throws IllegalArgumentException for a count below 1, above the partitions, or given twice
     */
    public ScalingScenario(List<Integer> instances) {
        this.instances = instances.isEmpty() ? DEFAULT_INSTANCES : parse(instances);
    }

    static List<Integer> parse(List<Integer> instances) {
        Set<Integer> seen = new LinkedHashSet<>();
        for (int n : instances) {
            if (n < 1 || n > PARTITIONS) {
                throw new IllegalArgumentException("S9 instance count " + n + " (--s9-instances) must be from 1 to " + PARTITIONS
                        + ", the partitions: an instance beyond them would have no task");
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException("S9 instance count " + n + " is given twice (--s9-instances)");
            }
        }
        return List.copyOf(seen);
    }

    List<Integer> instances() {
        return instances;
    }

    @Override
    public String id() {
        return "S9";
    }

    @Override
    public String title() {
        return "scaling: turns/s with " + instances + " processor instances (JVMs of their own, same broker)";
    }

    private static int turns(ScenarioContext context) {
        return context.settings().messages();
    }

    @Override
    public Map<String, Object> configuration(ScenarioContext context) {
        Map<String, Object> configuration = new LinkedHashMap<>(context.settings().describe());
        configuration.put("partitions", PARTITIONS);
        configuration.put("processing.guarantee", GUARANTEE.configValue());
        configuration.put("commit.interval", Figures.duration(GUARANTEE.defaultCommitInterval()));
        configuration.put("processors", instances + " (JVMs of their own, " + PROCESSOR_HEAP + " heap, "
                + context.settings().streamThreads() + " stream thread(s) each)");
        configuration.put("workers", WORKERS + " (JVMs of their own)");
        MEMBERSHIP.describe().forEach((k, v) -> configuration.put("processor." + k, v));
        configuration.put("backend.delay", "0 ms");
        configuration.put("turn.timeout", Figures.duration(TURN_TIMEOUT) + " (queueing at saturation is not a fallback)");
        configuration.put("conversations", CONVERSATIONS);
        configuration.put("pipelineWarmUp.messages", PipelineWarmUp.turns(turns(context)));
        configuration.put("maxRate.messages", turns(context));
        configuration.put("maxRate.warmUp", context.settings().warmUpOf(turns(context)));
        configuration.put("cpu", "process CPU time (user + system) during the maximum-rate phase: child JVMs from /proc/<pid>/stat, "
                + "the bench JVM (broker, load generator, backend) from the JVM");
        return configuration;
    }

    @Override
    public List<Measurement> planned(ScenarioContext context) {
        return lines(instances, Map.of());
    }

    /**
     * What one instance count measured.
     *
     * @param turnsPerSecond completed turns/s of the maximum-rate phase (after its warm-up)
     * @param turns turns of the phase, over which the CPU is counted
     * @param processorCpuNanos CPU each processor JVM used during the phase, by instance
     * @param workerCpuNanos CPU of all worker JVMs during the phase
     * @param benchCpuNanos CPU of the bench JVM (broker, load generator, backend) during the phase
     */
    record Run(double turnsPerSecond, long turns, List<Long> processorCpuNanos, long workerCpuNanos, long benchCpuNanos) {

        long processorsCpuNanos() {
            return processorCpuNanos.stream().mapToLong(Long::longValue).sum();
        }

        /** Processor CPU per turn, all instances together, ms. */
        double processorCpuMillisPerTurn() {
            return perTurnMillis(processorsCpuNanos());
        }

        double workerCpuMillisPerTurn() {
            return perTurnMillis(workerCpuNanos);
        }

        double benchCpuMillisPerTurn() {
            return perTurnMillis(benchCpuNanos);
        }

        private double perTurnMillis(long nanos) {
            return turns == 0 ? Double.NaN : nanos / 1e6 / turns;
        }
    }

    /** Turns/s of {@code n} instances over turns/s of one, when one was measured. */
    static OptionalDouble ratioToOne(Map<Integer, Run> runs, int n) {
        Run one = runs.get(1);
        Run run = runs.get(n);
        if (one == null || run == null || !(one.turnsPerSecond() > 0)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(run.turnsPerSecond() / one.turnsPerSecond());
    }

    static List<Measurement> lines(List<Integer> instances, Map<Integer, Run> runs) {
        List<Measurement> lines = new ArrayList<>();
        for (int n : instances) {
            Optional<Run> run = Optional.ofNullable(runs.get(n));
            String with = n + (n == 1 ? " processor: " : " processors: ");
            String key = "n" + n + ".";
            lines.add(Outcomes.line(key + "throughput", with + "max turns/s", "turns/s", value(run, Run::turnsPerSecond), Optional.empty()));
            if (instances.contains(1)) {
                lines.add(Outcomes.line(key + "ratio", with + "turns/s over 1 processor's", "×", ratioToOne(runs, n), Optional.empty()));
            }
            for (int p = 0; p < n; p++) {
                int instance = p;
                lines.add(Outcomes.line(key + "processor" + p + ".cpu", with + "CPU of processor JVM " + p + " during the phase", "s",
                        value(run, r -> r.processorCpuNanos().get(instance) / 1e9), Optional.empty()));
            }
            lines.add(Outcomes.line(key + "processorCpuPerTurn", with + "processor CPU per turn (all instances)", "ms",
                    value(run, Run::processorCpuMillisPerTurn), Optional.empty()));
            lines.add(Outcomes.line(key + "workerCpuPerTurn", with + "worker CPU per turn (" + WORKERS + " JVMs)", "ms",
                    value(run, Run::workerCpuMillisPerTurn), Optional.empty()));
            lines.add(Outcomes.line(key + "benchCpuPerTurn", with + "bench JVM CPU per turn (broker, load, backend)", "ms",
                    value(run, Run::benchCpuMillisPerTurn), Optional.empty()));
        }
        return lines;
    }

    private static OptionalDouble value(Optional<Run> run, java.util.function.ToDoubleFunction<Run> field) {
        return run.map(r -> OptionalDouble.of(field.applyAsDouble(r))).orElse(OptionalDouble.empty());
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        List<PhaseResult> phases = new ArrayList<>();
        Map<Integer, Run> runs = new LinkedHashMap<>();
        for (int n : instances) {
            Optional<Run> run = runWith(context, n, phases);
            if (run.isEmpty()) {
                break; // Outcomes names the phase that did not finish.
            }
            runs.put(n, run.get());
            LOG.info("S9 with {} processor(s): {}", n, run.get());
        }
        return Outcomes.of(this, configuration(context), phases, lines(instances, runs));
    }

    private Optional<Run> runWith(ScenarioContext context, int n, List<PhaseResult> phases) throws Exception {
        String caseId = "S9-n" + n;
        ScenarioTopics topics = context.topicsFor(caseId);
        context.kafka().createTopics(PARTITIONS, topics.all());
        try (OrderBackend backend = OrderBackend.start(Duration.ZERO, 2)) {
            PipelineConfig config = new PipelineConfig(topics.name(), context.kafka().clientConfig(), context.serdeConfig(),
                    topics.names(), PipelineRun.CHANNEL, Workload.ORDER_STATUS_TEXT, PipelineRun.SESSION_TEXT,
                    GUARANTEE, GUARANTEE.defaultCommitInterval(), context.settings().streamThreads(), backend.baseUri(), TURN_TIMEOUT,
                    OptionalInt.empty(), ProcessorPlacement.CHILD_JVM, Optional.of(PROCESSOR_HEAP),
                    context.newDirectory(caseId.toLowerCase(Locale.ROOT) + "-pipeline"));
            try (FailoverPipeline pipeline = FailoverPipeline.start(config, n, WORKERS, MEMBERSHIP, ProcessorOptions.defaults());
                 LoadDriver load = context.loadDriver(topics.topics().chatEvents(), topics.topics().defaultReplies())) {
                Workload workload = new Workload(PipelineRun.CHANNEL, Workload.ORDER_STATUS_TEXT, caseId + "-", CONVERSATIONS);
                ExpectedReply answer = ExpectedReply.answerStartingWith(Workload.ORDER_ANSWER_PREFIX);
                int turns = turns(context);
                PhaseResult warm = PipelineWarmUp.run(load, caseId, workload, PipelineWarmUp.turns(turns), answer);
                phases.add(warm);
                if (!warm.complete()) {
                    return Optional.empty();
                }
                List<LongSupplier> processors = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long pid = pipeline.processorPid(i);
                    processors.add(() -> cpu(ChildCpu.nanos(pid), "processor " + pid));
                }
                List<Long> workerPids = pipeline.workerPids();
                LongSupplier workers = () -> workerPids.stream().mapToLong(pid -> cpu(ChildCpu.nanos(pid), "worker " + pid)).sum();
                LongSupplier bench = () -> cpu(ProcessCpu.jvm().nanos(), "bench JVM");
                long[] before = snapshot(processors, workers, bench);
                PhaseResult max = load.maxRate(caseId + ".max", workload, turns, context.settings().warmUpOf(turns), answer);
                long[] after = snapshot(processors, workers, bench);
                phases.add(max);
                if (!max.complete() || max.throughputPerSecond().isEmpty()) {
                    return Optional.empty();
                }
                List<Long> processorCpu = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    processorCpu.add(after[i] - before[i]);
                }
                return Optional.of(new Run(max.throughputPerSecond().getAsDouble(), max.summary().messages(), processorCpu,
                        after[n] - before[n], after[n + 1] - before[n + 1]));
            }
        } finally {
            context.kafka().deleteTopics(topics.all());
        }
    }

    /** The processors' CPU, then the workers', then the bench JVM's, in nanoseconds. */
    private static long[] snapshot(List<LongSupplier> processors, LongSupplier workers, LongSupplier bench) {
        long[] values = new long[processors.size() + 2];
        for (int i = 0; i < processors.size(); i++) {
            values[i] = processors.get(i).getAsLong();
        }
        values[processors.size()] = workers.getAsLong();
        values[processors.size() + 1] = bench.getAsLong();
        return values;
    }

    private static long cpu(OptionalLong nanos, String what) {
        return nanos.orElseThrow(() -> new IllegalStateException("The CPU time of the " + what
                + " cannot be read (S9 needs Linux's /proc/<pid>/stat and the JVM's process CPU time)"));
    }
}
