package io.parley.bench.scenario;

import io.parley.bench.backend.OrderBackend;
import io.parley.bench.kafka.ScenarioTopics;
import io.parley.bench.load.ExpectedReply;
import io.parley.bench.load.LoadDriver;
import io.parley.bench.load.PhaseResult;
import io.parley.bench.load.Workload;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.report.Figures;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.topics.Topic;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;

/**
 * S4: turns/s of the naive integration, a stream processor that calls the 200 ms backend inline
 * for each chat event. It runs with the same partitions and stream threads as the pipeline
 * scenarios, so S3 / S4 compares designs, not thread counts.
 */
public final class SynchronousBaselineScenario implements Scenario {

    static final String THROUGHPUT = "throughput";
    /** The slow backend of S3 and S4. */
    public static final Duration BACKEND_DELAY = Duration.ofMillis(200);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final int BACKEND_THREADS = 2;

    @Override
    public String id() {
        return "S4";
    }

    @Override
    public String title() {
        return "synchronous baseline (inline 200 ms backend call)";
    }

    @Override
    public Map<String, Object> configuration(ScenarioContext context) {
        Map<String, Object> configuration = new LinkedHashMap<>(context.settings().describe());
        configuration.put("topology", "source → processor calling GET /orders/{id} with the JDK HttpClient, blocking → sink");
        configuration.put("processing.guarantee", ProcessingGuarantee.AT_LEAST_ONCE.configValue());
        configuration.put("backend.delay", Figures.duration(BACKEND_DELAY));
        configuration.put("backend.callTimeout", Figures.duration(CALL_TIMEOUT));
        configuration.put("messages", context.settings().baselineMessages());
        configuration.put("warmUp", context.settings().warmUpOf(context.settings().baselineMessages()));
        return configuration;
    }

    @Override
    public List<Measurement> planned(ScenarioContext context) {
        return List.of(
                Measurement.notMeasured(THROUGHPUT, "turns/s", "turns/s", Optional.empty()),
                Measurement.notMeasured("perThread", "turns/s per stream thread", "turns/s", Optional.empty()));
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        BenchSettings settings = context.settings();
        ScenarioTopics topics = context.topicsFor(id());
        Topic<String, ChatEvent> events = topics.topics().chatEvents();
        Topic<String, ChatReply> replies = topics.topics().defaultReplies();
        int streamThreads = settings.streamThreads();
        Properties properties = StreamsApp.properties("bench-" + context.runId() + "-s4", context.kafka().clientConfig(),
                ProcessingGuarantee.AT_LEAST_ONCE, streamThreads, context.newDirectory("s4-state"));
        PhaseResult result;
        long backendCalls;
        List<String> names = List.of(events.name(), replies.name());
        context.kafka().createTopics(settings.partitions(), names);
        try (OrderBackend backend = OrderBackend.start(BACKEND_DELAY, BACKEND_THREADS);
             StreamsApp app = StreamsApp.start(InlineCallTopology.build(events, replies,
                     BlockingOrderClient.create(backend.baseUri(), CALL_TIMEOUT)), properties);
             LoadDriver load = context.loadDriver(events, replies)) {
            Workload workload = new Workload("bench", Workload.ORDER_STATUS_TEXT, "s4-", 10_000);
            result = load.maxRate("S4.max", workload, settings.baselineMessages(),
                    settings.warmUpOf(settings.baselineMessages()), ExpectedReply.answerStartingWith(Workload.ORDER_ANSWER_PREFIX));
            app.requireRunning();
            backendCalls = backend.ordersServed();
        } finally {
            context.kafka().deleteTopics(names);
        }
        OptionalDouble throughput = result.throughputPerSecond();
        OptionalDouble perThread = throughput.isPresent()
                ? OptionalDouble.of(throughput.getAsDouble() / streamThreads)
                : OptionalDouble.empty();
        Map<String, Object> configuration = new LinkedHashMap<>(configuration(context));
        configuration.put("backend.callsServed", backendCalls);
        return Outcomes.of(this, configuration, List.of(result), List.of(
                Outcomes.line(THROUGHPUT, "turns/s", "turns/s", throughput, Optional.empty()),
                Outcomes.line("perThread", "turns/s per stream thread", "turns/s", perThread, Optional.empty())));
    }
}
