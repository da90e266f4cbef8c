package io.parley.bench.scenario;

import io.parley.bench.load.ExpectedReply;
import io.parley.bench.load.LoadDriver;
import io.parley.bench.load.PhaseResult;
import io.parley.bench.load.Workload;
import io.parley.bench.kafka.ScenarioTopics;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.Topic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** S1: records/s of a map-only Kafka Streams topology, the ceiling of broker and serdes here. */
public final class PassThroughScenario implements Scenario {

    static final String THROUGHPUT = "throughput";
    /**
     * S1 runs an order of magnitude faster than the pipeline; five times the maximum-rate
     * phase keeps its measured window seconds long rather than a fraction of one.
     */
    static final int MESSAGE_FACTOR = 5;

    @Override
    public String id() {
        return "S1";
    }

    @Override
    public String title() {
        return "pass-through chat.events → chat.replies (map only)";
    }

    @Override
    public Map<String, Object> configuration(ScenarioContext context) {
        Map<String, Object> configuration = new LinkedHashMap<>(context.settings().describe());
        configuration.put("topology", "source → mapValues → sink, Avro serdes, mock registry");
        configuration.put("processing.guarantee", ProcessingGuarantee.AT_LEAST_ONCE.configValue());
        configuration.put("commit.interval", "Kafka Streams default");
        configuration.put("messages", messages(context.settings()));
        configuration.put("warmUp", context.settings().warmUpOf(messages(context.settings())));
        return configuration;
    }

    static int messages(BenchSettings settings) {
        return settings.messages() * MESSAGE_FACTOR;
    }

    @Override
    public List<Measurement> planned(ScenarioContext context) {
        return List.of(Measurement.notMeasured(THROUGHPUT, "throughput", "records/s", Optional.empty()));
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        BenchSettings settings = context.settings();
        ScenarioTopics topics = context.topicsFor(id());
        Topic<String, ChatEvent> events = topics.topics().chatEvents();
        Topic<String, ChatReply> replies = topics.topics().defaultReplies();
        Properties properties = StreamsApp.properties("bench-" + context.runId() + "-s1", context.kafka().clientConfig(),
                ProcessingGuarantee.AT_LEAST_ONCE, settings.streamThreads(),
                context.newDirectory("s1-state"));
        PhaseResult result;
        List<String> names = List.of(events.name(), replies.name());
        context.kafka().createTopics(settings.partitions(), names);
        try (StreamsApp app = StreamsApp.start(PassThroughTopology.build(events, replies, context.clock()), properties);
             LoadDriver load = context.loadDriver(events, replies)) {
            Workload workload = new Workload("bench", Workload.ORDER_STATUS_TEXT, "s1-", 10_000);
            result = load.maxRate("S1.max", workload, messages(settings), settings.warmUpOf(messages(settings)),
                    ExpectedReply.ofKinds(ReplyKind.ANSWER));
            app.requireRunning();
        } finally {
            context.kafka().deleteTopics(names);
        }
        return Outcomes.of(this, configuration(context), List.of(result), List.of(
                Outcomes.line(THROUGHPUT, "throughput", "records/s", result.throughputPerSecond(), Optional.empty())));
    }
}
