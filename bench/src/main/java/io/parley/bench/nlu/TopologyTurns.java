package io.parley.bench.nlu;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.bench.backend.OrderBackend;
import io.parley.processor.ProcessorWiring;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RocksDbMemory;
import io.parley.runtime.tracing.Tracing;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The processor's real topology for a set of flows, run in this thread (TopologyTestDriver), with the CPU
 * time of the processor's own work counted: only the calls that hand it a record (a chat message, a
 * backend response) are timed, so writing the inputs and answering the calls, which the gateway and the
 * worker would do, stay out of the figure.
 */
final class TopologyTurns implements AutoCloseable {

    /** How the simulated users and backends behave. */
    enum Mode {
        /**
         * As the bench's S2: a pool of conversations used round-robin, one user each, and an instant backend
         * that answers every call at once (follow-up calls too), so each turn ends with its reply.
         */
        ANSWERED,
        /** A new conversation per message and calls never answered (how the first measurement ran). */
        UNANSWERED
    }

    /** Conversations of the {@link Mode#ANSWERED} pool, as S2's workload. */
    static final int CONVERSATIONS = 10_000;

    private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, ChatEvent> events;
    private final TestInputTopic<String, BackendResponse> responses;
    private final TestOutputTopic<String, BackendRequest> requests;
    private final TestOutputTopic<byte[], byte[]> replies;
    private final TestOutputTopic<byte[], byte[]> audit;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private TopologyTurns(TopologyTestDriver driver, Topics topics, String replyTopic, String auditTopic) {
        this.driver = driver;
        Topic<String, ChatEvent> chat = topics.chatEvents();
        this.events = driver.createInputTopic(chat.name(), chat.keySerde().serializer(), chat.valueSerde().serializer());
        Topic<String, BackendResponse> answers = topics.backendResponses();
        this.responses = driver.createInputTopic(answers.name(), answers.keySerde().serializer(), answers.valueSerde().serializer());
        Topic<String, BackendRequest> calls = topics.backendRequests();
        this.requests = driver.createOutputTopic(calls.name(), calls.keySerde().deserializer(), calls.valueSerde().deserializer());
        this.replies = driver.createOutputTopic(replyTopic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.audit = driver.createOutputTopic(auditTopic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Flows loaded once (their classifier trained once) for every topology built from them.
     *
     * @param config a processor configuration naming the flows
     * @param catalog the loaded flows
     */
    record Flows(ProcessorConfig config, FlowCatalog catalog) {

        static Flows load(FlowSource flows) {
            ProcessorConfig config = ProcessorConfig.builder()
                    .kafka("bootstrap.servers", "unused:9092")
                    .kafka("application.id", "parley-bench-nlu")
                    .schemaRegistry("schema.registry.url", "mock://bench-nlu-" + UUID.randomUUID())
                    .flows(List.of(flows))
                    .build();
            return new Flows(config, ProcessorWiring.flows(config));
        }
    }

    /** Builds the processor's topology for these flows, with fresh state. */
    static TopologyTurns start(Flows flows, Path workDirectory) throws IOException {
        ProcessorConfig config = flows.config();
        ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
        Map<String, Object> streams = ProcessorWiring.streamsProperties(config, metrics, new RocksDbMemory(config.rocksDb()));
        Topology topology = ProcessorWiring.topology(config, flows.catalog(), metrics, streams, Tracing.off());
        Properties properties = new Properties();
        properties.putAll(streams);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(workDirectory, "state").toString());
        TopologyTestDriver driver = new TopologyTestDriver(topology, properties, START);
        return new TopologyTurns(driver, Topics.create(config.topics(), config.schemaRegistry()), config.topics().defaultReplies(),
                config.topics().audit());
    }

    /**
     * What a run of turns cost and did.
     *
     * @param turns how many messages were sent
     * @param cpuNanos the processor's CPU time for them (and for the responses to their calls)
     * @param requests the backend requests they made, each as connector, operation and parameters, in order
     * @param replies how many replies they got
     */
    record Measured(int turns, long cpuNanos, List<String> requests, long replies) {

        double cpuMicrosPerTurn() {
            return cpuNanos / 1_000.0 / turns;
        }
    }

    /**
     * Sends {@code count} messages, message n with text {@code texts[n mod size]}.
     *
     * @param phase keeps the conversations of a warm-up apart from those of the timed run
     */
    Measured send(List<String> texts, int count, String phase, Mode mode) {
        long cpu = 0;
        long replyCount = 0;
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int conversation = mode == Mode.ANSWERED ? i % CONVERSATIONS : i;
            ChatEvent event = ChatEvent.newBuilder()
                    .setEventId(phase + "-e-" + i)
                    .setConversationId(phase + "-c-" + conversation)
                    .setUserId(phase + "-u-" + (mode == Mode.ANSWERED ? conversation : i % 500))
                    .setChannel("web")
                    .setType(ChatEventType.MESSAGE)
                    .setText(texts.get(i % texts.size()))
                    .setPayload(Map.of())
                    .setLocale("en-GB")
                    .setOccurredAt(START)
                    .build();
            long before = threads.getCurrentThreadCpuTime();
            events.pipeInput(event.getConversationId().toString(), event, START);
            cpu += threads.getCurrentThreadCpuTime() - before;
            if (mode == Mode.ANSWERED) {
                // Answer the turn's calls, and the calls those answers lead to, until the turn has its reply.
                for (List<BackendRequest> made = requests.readValuesToList(); !made.isEmpty(); made = requests.readValuesToList()) {
                    for (BackendRequest request : made) {
                        calls.add(signature(request));
                        BackendResponse response = answer(request);
                        before = threads.getCurrentThreadCpuTime();
                        responses.pipeInput(request.getConversationId().toString(), response, START);
                        cpu += threads.getCurrentThreadCpuTime() - before;
                    }
                }
                replyCount += replies.readRecordsToList().size();
                audit.readRecordsToList();
            } else if (i % 500 == 499 || i == count - 1) {
                // Read what the topology wrote so the driver's memory stays flat.
                requests.readValuesToList().forEach(request -> calls.add(signature(request)));
                replyCount += replies.readRecordsToList().size();
                audit.readRecordsToList();
            }
        }
        return new Measured(count, cpu, calls, replyCount);
    }

    /** What a call asks for, without its ids: equal signatures, equal work for the backend. */
    static String signature(BackendRequest request) {
        return request.getConnector() + " " + request.getOperation() + " " + new TreeMap<>(request.getParams());
    }

    /** An instant backend's answer, as the demo shop's backends would give it. */
    private static BackendResponse answer(BackendRequest request) {
        Map<String, String> params = request.getParams();
        String result = switch (request.getOperation()) {
            case "getOrder" -> new String(OrderBackend.orderJson(params.getOrDefault("orderId", "1001"), request.getUserId()),
                    StandardCharsets.UTF_8);
            case "getShipment" -> "{\"trackingId\":\"" + params.getOrDefault("trackingId", "TRK-1") + "\",\"carrier\":\"DHL\","
                    + "\"status\":\"IN_TRANSIT\",\"eta\":\"2026-12-06\"}";
            case "getInventory" -> "{\"sku\":\"" + params.getOrDefault("sku", "MUG-01") + "\",\"name\":\"Blue mug\",\"inStock\":true,"
                    + "\"quantity\":12}";
            case "getStoreHours" -> "{\"storeId\":\"main\",\"name\":\"Main store\",\"opens\":\"09:00\",\"closes\":\"18:00\"}";
            default -> "{\"name\":\"Ada\"}";
        };
        return BackendResponse.newBuilder()
                .setRequestId(request.getRequestId())
                .setConversationId(request.getConversationId())
                .setConnector(request.getConnector())
                .setOperation(request.getOperation())
                .setStatus(BackendStatus.OK)
                .setResult(result)
                .setError(null)
                .setLatencyMs(1)
                .setAttempts(1)
                .setCompletedAt(START)
                .build();
    }

    @Override
    public void close() {
        driver.close();
    }
}
