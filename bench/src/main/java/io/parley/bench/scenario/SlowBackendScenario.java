package io.parley.bench.scenario;

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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * S3: turns/s of the full pipeline when every backend call takes 200 ms, with the worker's
 * default concurrency: how far asynchronous fan-out carries past one call per thread.
 */
public final class SlowBackendScenario implements Scenario {

    static final String THROUGHPUT = "throughput";

    private final PipelineFactory factory;

    public SlowBackendScenario(PipelineFactory factory) {
        this.factory = factory;
    }

    @Override
    public String id() {
        return "S3";
    }

    @Override
    public String title() {
        return "full pipeline, 200 ms backend, worker default concurrency";
    }

    /** A fifth of a maximum-rate phase: at the target rate it still runs for tens of seconds. */
    static int messages(BenchSettings settings) {
        return Math.max(10, settings.messages() / 5);
    }

    @Override
    public Map<String, Object> configuration(ScenarioContext context) {
        BenchSettings settings = context.settings();
        Map<String, Object> configuration = new LinkedHashMap<>(settings.describe());
        configuration.put("pipeline", factory.description());
        configuration.put("processing.guarantee", ProcessingGuarantee.AT_LEAST_ONCE.configValue());
        configuration.put("commit.interval", Figures.duration(ProcessingGuarantee.AT_LEAST_ONCE.defaultCommitInterval()));
        configuration.put("backend.delay", Figures.duration(SynchronousBaselineScenario.BACKEND_DELAY));
        configuration.put("worker.concurrency", "worker default");
        configuration.put("pipelineWarmUp.messages", PipelineWarmUp.turns(messages(settings)));
        configuration.put("messages", messages(settings));
        configuration.put("warmUp", settings.warmUpOf(messages(settings)));
        return configuration;
    }

    @Override
    public List<Measurement> planned(ScenarioContext context) {
        return List.of(Measurement.notMeasured(THROUGHPUT, "turns/s", "turns/s", Optional.of(Targets.S3_THROUGHPUT)));
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        BenchSettings settings = context.settings();
        PipelineRun.Request request = new PipelineRun.Request(ProcessingGuarantee.AT_LEAST_ONCE,
                ProcessingGuarantee.AT_LEAST_ONCE.defaultCommitInterval(),
                SynchronousBaselineScenario.BACKEND_DELAY, Duration.ofSeconds(10), OptionalInt.empty(),
                ProcessorPlacement.IN_PROCESS, Optional.empty());
        PhaseResult warmUp;
        PhaseResult result;
        Map<String, Object> configuration = new LinkedHashMap<>(configuration(context));
        try (PipelineRun run = PipelineRun.start(context, id(), factory, request);
             LoadDriver load = context.loadDriver(run.topics().topics().chatEvents(), run.topics().topics().defaultReplies())) {
            run.pipeline().effectiveSettings().forEach((k, v) -> configuration.put("pipeline." + k, v));
            Workload workload = new Workload(PipelineRun.CHANNEL, Workload.ORDER_STATUS_TEXT, "s3-", 10_000);
            ExpectedReply answer = ExpectedReply.answerStartingWith(Workload.ORDER_ANSWER_PREFIX);
            int messages = messages(settings);
            warmUp = PipelineWarmUp.run(load, id(), workload, PipelineWarmUp.turns(messages), answer);
            result = load.maxRate("S3.max", workload, messages, settings.warmUpOf(messages), answer);
        } catch (PipelineUnavailableException e) {
            return ScenarioResult.skipped(id(), title(), e.getMessage(), configuration(context), planned(context));
        }
        OptionalDouble throughput = result.throughputPerSecond();
        return Outcomes.of(this, configuration, List.of(warmUp, result), List.of(
                Outcomes.line(THROUGHPUT, "turns/s", "turns/s", throughput, Optional.of(Targets.S3_THROUGHPUT))));
    }
}
