package io.parley.bench.nlu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.processor.ProcessorWiring;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RocksDbMemory;
import io.parley.runtime.tracing.Tracing;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * What the built-in classifier adds to a turn: the processor's CPU time per inbound message through
 * the real topology (TopologyTestDriver, in this thread), once with the demo flows as shipped (rules,
 * then the classifier trained from {@code examples:}) and once with the same flows without
 * {@code examples:} (keywords and patterns only). CPU time, not wall-clock time, because other
 * processes on the machine stretch the latter but hardly change the former.
 *
 * <pre>java -cp bench.jar io.parley.bench.nlu.ClassifierTurnCost [--turns N] [--warm-up N]</pre>
 *
 * Each message opens a new conversation (no turn waits behind another); the texts are the demo's
 * held-out test set, round-robin. Backend requests are emitted and never answered (the same in both runs).
 */
public final class ClassifierTurnCost {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ClassifierTurnCost() {
    }

    /**
     * @param turns how many messages were timed per run
     * @param classifierMicros CPU µs per turn with the classifier
     * @param keywordsMicros CPU µs per turn with keywords and patterns only
     * @param classifierRequests backend requests the timed turns made with the classifier (understood messages start calls)
     * @param keywordsRequests backend requests the timed turns made with keywords only
     */
    public record Result(int turns, double classifierMicros, double keywordsMicros, long classifierRequests, long keywordsRequests) {

        /** How much slower a turn is with the classifier (0.05: 5 % more CPU per turn, so about 5 % fewer turns/s when CPU-bound). */
        public double slowdown() {
            return classifierMicros / keywordsMicros - 1;
        }

        public String markdown() {
            return String.format(Locale.ROOT, "| classifier turn cost | %d turns each | classifier %.1f µs CPU/turn | keywords only %.1f µs CPU/turn "
                    + "| +%.1f %% | backend requests %d vs %d | target < 10 %%: %s |", turns, classifierMicros, keywordsMicros,
                    slowdown() * 100, classifierRequests, keywordsRequests, slowdown() < 0.10 ? "met" : "MISSED");
        }
    }

    /** Runs both configurations: warm-up, then {@code turns} timed messages each. */
    public static Result measure(List<String> texts, int warmUp, int turns, Path workDirectory) throws IOException {
        Path keywordsOnly = withoutExamples(FlowSource.classpath("flows/demo-shop.yaml"), workDirectory.resolve("demo-shop-keywords.yaml"));
        Run classifier = cpuMicrosPerTurn(FlowSource.classpath("flows/demo-shop.yaml"), texts, warmUp, turns, workDirectory);
        Run keywords = cpuMicrosPerTurn(FlowSource.file(keywordsOnly), texts, warmUp, turns, workDirectory);
        return new Result(turns, classifier.cpuMicros(), keywords.cpuMicros(), classifier.requests(), keywords.requests());
    }

    private record Run(double cpuMicros, long requests) {
    }

    /** The flow file with every intent's {@code examples:} removed: no classifier is trained from it. */
    static Path withoutExamples(FlowSource flows, Path target) throws IOException {
        JsonNode root;
        try (InputStream in = flows.open()) {
            root = YAML.readTree(in);
        }
        root.path("intents").forEach(intent -> ((ObjectNode) intent).remove("examples"));
        YAML.writeValue(target.toFile(), root);
        return target;
    }

    private static Run cpuMicrosPerTurn(FlowSource flows, List<String> texts, int warmUp, int turns, Path workDirectory)
            throws IOException {
        ProcessorConfig config = ProcessorConfig.builder()
                .kafka("bootstrap.servers", "unused:9092")
                .kafka("application.id", "parley-bench-nlu")
                .schemaRegistry("schema.registry.url", "mock://bench-nlu-" + UUID.randomUUID())
                .flows(List.of(flows))
                .build();
        ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
        Map<String, Object> streams = ProcessorWiring.streamsProperties(config, metrics, new RocksDbMemory(config.rocksDb()));
        FlowCatalog catalog = ProcessorWiring.flows(config);
        Topology topology = ProcessorWiring.topology(config, catalog, metrics, streams, Tracing.off());
        Properties properties = new Properties();
        properties.putAll(streams);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(workDirectory, "state").toString());
        Instant start = Instant.parse("2026-12-04T10:00:00Z");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, properties, start)) {
            Topics topics = Topics.create(config.topics(), config.schemaRegistry());
            Topic<String, ChatEvent> events = topics.chatEvents();
            TestInputTopic<String, ChatEvent> input = driver.createInputTopic(events.name(), events.keySerde().serializer(),
                    events.valueSerde().serializer());
            List<TestOutputTopic<byte[], byte[]>> outputs = new ArrayList<>();
            for (String name : List.of(config.topics().backendRequests(), config.topics().audit(), config.topics().defaultReplies())) {
                outputs.add(driver.createOutputTopic(name, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            }
            run(input, outputs, texts, warmUp, start, 0);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu = threads.getCurrentThreadCpuTime();
            long requests = run(input, outputs, texts, turns, start, warmUp);
            return new Run((threads.getCurrentThreadCpuTime() - cpu) / 1_000.0 / turns, requests);
        }
    }

    /** Sends {@code count} messages; answers how many backend requests (the first output) they made. */
    private static long run(TestInputTopic<String, ChatEvent> input, List<TestOutputTopic<byte[], byte[]>> outputs, List<String> texts,
                            int count, Instant at, int offset) {
        long requests = 0;
        for (int i = 0; i < count; i++) {
            String conversation = "c-" + (offset + i);
            input.pipeInput(conversation, ChatEvent.newBuilder()
                    .setEventId("e-" + (offset + i))
                    .setConversationId(conversation)
                    .setUserId("u-" + ((offset + i) % 500))
                    .setChannel("web")
                    .setType(ChatEventType.MESSAGE)
                    .setText(texts.get((offset + i) % texts.size()))
                    .setPayload(Map.of())
                    .setLocale("en-GB")
                    .setOccurredAt(at)
                    .build(), at);
            if (i % 500 == 499) {
                requests += drain(outputs);
            }
        }
        return requests + drain(outputs);
    }

    /** The driver keeps what the topology wrote until it is read: read it so memory stays flat (the same in both runs). */
    private static long drain(List<TestOutputTopic<byte[], byte[]>> outputs) {
        long requests = outputs.get(0).readRecordsToList().size();
        outputs.subList(1, outputs.size()).forEach(TestOutputTopic::readRecordsToList);
        return requests;
    }

    public static void main(String[] args) throws IOException {
        int warmUp = 5_000;
        int turns = 20_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--turns" -> turns = Integer.parseInt(args[i + 1]);
                case "--warm-up" -> warmUp = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(1);
                }
            }
        }
        Path work = Files.createTempDirectory("parley-bench-nlu");
        Result result = measure(ClassificationCost.texts(FlowSource.classpath("flows/demo-shop.nlu-test.yaml")), warmUp, turns, work);
        System.out.println(result.markdown());
    }
}
