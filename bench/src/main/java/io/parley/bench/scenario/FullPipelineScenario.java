package io.parley.bench.scenario;

import io.parley.bench.kafka.TopicRecords;
import org.apache.kafka.common.TopicPartition;

import io.parley.bench.load.LatencySummary;
import io.parley.bench.load.ExpectedReply;
import io.parley.bench.load.LoadDriver;
import io.parley.bench.load.PhaseResult;
import io.parley.bench.load.Workload;
import io.parley.bench.pipeline.PipelineFactory;
import io.parley.bench.pipeline.PipelineUnavailableException;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.pipeline.ProcessorPlacement;
import io.parley.bench.report.Figures;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import io.parley.bench.report.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.ToDoubleFunction;

/**
 * S2: the full pipeline (processor, worker, instant backend) under one processing guarantee:
 * maximum turns/s, then latency from event creation to reply consumption at fixed offered
 * rates of 200 and 1,000 turns/s.
 */
public final class FullPipelineScenario implements Scenario {

    static final String THROUGHPUT = "throughput";
    static final double[] OFFERED_RATES = {200, 1_000};
    /** The phase whose records are counted: steady, every turn answered, nothing queued. */
    static final double RECORDS_COUNTED_AT = 200;
    static final String RECORDS_PER_TURN = "records.perTurn";

    private final ProcessingGuarantee guarantee;
    private final PipelineFactory factory;

    public FullPipelineScenario(ProcessingGuarantee guarantee, PipelineFactory factory) {
        this.guarantee = guarantee;
        this.factory = factory;
    }

    @Override
    public String id() {
        return guarantee == ProcessingGuarantee.AT_LEAST_ONCE ? "S2-alos" : "S2-eos";
    }

    @Override
    public String title() {
        return "full pipeline, instant backend, " + guarantee.configValue();
    }

    /** The processor's default per guarantee: 1 s under at-least-once, 100 ms under exactly-once. */
    Duration commitInterval() {
        return guarantee.defaultCommitInterval();
    }

    @Override
    public Map<String, Object> configuration(ScenarioContext context) {
        BenchSettings settings = context.settings();
        Map<String, Object> configuration = new LinkedHashMap<>(settings.describe());
        configuration.put("pipeline", factory.description());
        configuration.put("processing.guarantee", guarantee.configValue());
        configuration.put("commit.interval", Figures.duration(commitInterval()));
        configuration.put("backend.delay", "0 ms");
        configuration.put("pipelineWarmUp.messages", PipelineWarmUp.roundTurns(settings.messages()) + " per round, "
                + PipelineWarmUp.MIN_ROUNDS + " to " + PipelineWarmUp.MAX_ROUNDS + " rounds: until the bench JVM's JIT compiler used at most "
                + Figures.percent(PipelineWarmUp.SETTLED_JIT_SHARE) + " of a core in a round");
        configuration.put("maxRate.messages", settings.messages());
        configuration.put("maxRate.warmUp", settings.warmUpOf(settings.messages()));
        for (double rate : OFFERED_RATES) {
            configuration.put("rate" + (int) rate + ".messages", settings.turnsAt(rate));
            configuration.put("rate" + (int) rate + ".warmUp", settings.warmUpOf(settings.turnsAt(rate)));
        }
        return configuration;
    }

    @Override
    public List<Measurement> planned(ScenarioContext context) {
        return lines(OptionalDouble.empty(), Map.of(), Optional.empty());
    }

    private List<Measurement> lines(OptionalDouble throughput, Map<Double, Optional<LatencySummary>> latencies,
                                    Optional<RecordsPerTurn> records) {
        boolean alos = guarantee == ProcessingGuarantee.AT_LEAST_ONCE;
        List<Measurement> lines = new ArrayList<>();
        lines.add(Outcomes.line(THROUGHPUT, "max turns/s", "turns/s", throughput,
                Optional.of(alos ? Targets.S2_ALOS_THROUGHPUT : Targets.S2_EOS_THROUGHPUT)));
        for (double rate : OFFERED_RATES) {
            Optional<LatencySummary> latency = latencies.getOrDefault(rate, Optional.empty());
            String at = " @ " + Figures.count((long) rate) + " turns/s";
            String key = "latency" + (int) rate;
            Optional<Target> p99Target = rate == 1_000
                    ? Optional.of(alos ? Targets.S2_ALOS_P99_AT_1000 : Targets.S2_EOS_P99_AT_1000)
                    : Optional.empty();
            lines.add(Outcomes.line(key + ".p50", "latency p50" + at, "ms", value(latency, LatencySummary::p50), Optional.empty()));
            lines.add(Outcomes.line(key + ".p95", "latency p95" + at, "ms", value(latency, LatencySummary::p95), Optional.empty()));
            lines.add(Outcomes.line(key + ".p99", "latency p99" + at, "ms", value(latency, LatencySummary::p99), p99Target));
            lines.add(Outcomes.line(key + ".max", "latency max" + at, "ms", value(latency, LatencySummary::max), Optional.empty()));
        }
        String counted = " @ " + Figures.count((long) RECORDS_COUNTED_AT) + " turns/s";
        lines.add(Outcomes.line(RECORDS_PER_TURN, "records written per turn, all topics" + counted, "records",
                records.map(r -> OptionalDouble.of(r.total())).orElse(OptionalDouble.empty()), Optional.of(Targets.S2_RECORDS_PER_TURN)));
        records.ifPresent(r -> r.byTopic().forEach((topic, perTurn) -> lines.add(Outcomes.line("records." + topic,
                "records per turn to " + topic, "records", OptionalDouble.of(perTurn), Optional.empty()))));
        return lines;
    }

    private static OptionalDouble value(Optional<LatencySummary> latency, ToDoubleFunction<LatencySummary> field) {
        return latency.map(l -> OptionalDouble.of(field.applyAsDouble(l))).orElse(OptionalDouble.empty());
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        BenchSettings settings = context.settings();
        PipelineRun.Request request = new PipelineRun.Request(guarantee, commitInterval(), Duration.ZERO,
                Duration.ofSeconds(10), OptionalInt.empty(), ProcessorPlacement.IN_PROCESS, Optional.empty());
        List<PhaseResult> phases = new ArrayList<>();
        Map<Double, Optional<LatencySummary>> latencies = new LinkedHashMap<>();
        Map<String, Object> effective;
        OptionalDouble maxThroughput;
        Optional<RecordsPerTurn> records = Optional.empty();
        PipelineWarmUp.Outcome warmUp;
        try (PipelineRun run = PipelineRun.start(context, id(), factory, request);
             LoadDriver load = context.loadDriver(run.topics().topics().chatEvents(), run.topics().topics().defaultReplies())) {
            effective = run.pipeline().effectiveSettings();
            Workload workload = new Workload(PipelineRun.CHANNEL, Workload.ORDER_STATUS_TEXT, id() + "-", 10_000);
            ExpectedReply answer = ExpectedReply.answerStartingWith(Workload.ORDER_ANSWER_PREFIX);
            warmUp = PipelineWarmUp.untilSettled(load, id(), workload, PipelineWarmUp.roundTurns(settings.messages()), answer);
            phases.addAll(warmUp.rounds());
            PhaseResult max = load.maxRate(id() + ".max", workload, settings.messages(), settings.warmUpOf(settings.messages()),
                    answer);
            phases.add(max);
            maxThroughput = max.throughputPerSecond();
            for (double rate : OFFERED_RATES) {
                int turns = settings.turnsAt(rate);
                boolean counted = rate == RECORDS_COUNTED_AT;
                TopicRecords counter = context.kafka().topicRecords();
                Map<TopicPartition, Long> before = counted ? counter.endOffsets() : Map.of();
                PhaseResult fixed = load.fixedRate(id() + ".rate" + (int) rate, workload, rate, turns,
                        settings.warmUpOf(turns), answer);
                phases.add(fixed);
                if (counted) {
                    records = Optional.of(RecordsPerTurn.count(counter, before, fixed.summary().messages(), commitInterval()));
                }
                latencies.put(rate, fixed.latency());
            }
        } catch (PipelineUnavailableException e) {
            return ScenarioResult.skipped(id(), title(), e.getMessage(), configuration(context), planned(context));
        }
        Map<String, Object> configuration = new LinkedHashMap<>(configuration(context));
        effective.forEach((k, v) -> configuration.put("pipeline." + k, v));
        configuration.put("pipelineWarmUp.rounds", warmUp.rounds().size());
        configuration.put("pipelineWarmUp.lastRoundJit", Figures.percent(warmUp.jitShare()) + " of a core"
                + (warmUp.settled() ? "" : " (not settled: the figures include the compiler)"));
        return Outcomes.of(this, configuration, phases, lines(maxThroughput, latencies, records));
    }
}
