package io.parley.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.parley.gateway.kafka.KafkaChatEventPublisher;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.ParleyProcessor;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.runtime.tracing.Tracing;
import io.parley.runtime.tracing.TracingSettings;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import io.parley.worker.ConnectorWorker;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace for a whole asynchronous turn, on a real broker: the gateway's chat message span, the
 * processor's turn span under it, a request span per backend call (two, in parallel), the worker's
 * call span under each, the backend called with the call span's traceparent, and the reply record
 * carrying the turn's context. Each service exports to the same in-memory exporter.
 */
class TracedTurnIT {

    private static final String SKU = "MUG-01";
    private static final String USER = "alice-" + UUID.randomUUID();

    @TempDir
    Path directory;

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final List<AutoCloseable> running = new ArrayList<>();
    private EmbeddedKafkaCluster kafka;
    private EmbeddedSchemaRegistry registry;
    private WireMockServer shop;
    private Topics topics;

    @BeforeEach
    void startServices() {
        kafka = EmbeddedKafkaCluster.start();
        registry = EmbeddedSchemaRegistry.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(2, names.chatEvents(), names.backendRequests(), names.backendResponses(), names.notifications(),
                names.audit(), names.defaultReplies());
        kafka.createTopics(1, names.deadLetters(), names.workerDeadLetters());
        topics = Topics.create(names, Map.of("schema.registry.url", registry.url()));
        shop = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        shop.start();
        // Both answers take a moment, so the two calls are out at the same time.
        shop.stubFor(get(urlPathEqualTo("/inventory/" + SKU)).willReturn(okJson("{\"quantity\": 12}").withFixedDelay(200)));
        shop.stubFor(get(urlPathEqualTo("/stores/main/hours")).willReturn(okJson("{\"opens\": \"09:00\"}").withFixedDelay(200)));
    }

    @AfterEach
    void stopServices() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (shop != null) {
            shop.stop();
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private Tracing tracing(String service) {
        return Tracing.exportingTo(spans, TracingSettings.off(service).on());
    }

    private void startProcessorAndWorker() throws Exception {
        ParleyProcessor processor = ParleyProcessor.start(ProcessorConfig.builder()
                .kafka("bootstrap.servers", kafka.bootstrapServers())
                .kafka("application.id", "traced-" + UUID.randomUUID())
                .kafka("state.dir", Files.createDirectories(directory.resolve("state")).toString())
                .kafka("commit.interval.ms", "100")
                .schemaRegistry("schema.registry.url", registry.url())
                .flows(List.of(FlowSource.classpath("flows/traced-stock.yaml")))
                .adminPort(0)
                .build(), tracing("parley-processor"));
        running.add(processor);
        assertThat(processor.awaitRunning(Duration.ofSeconds(60))).as("processor running").isTrue();
        ConnectorWorker worker = ConnectorWorker.start(WorkerConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .schemaRegistry(Map.of("schema.registry.url", registry.url()))
                .mode(WorkerMode.CLASSIC)
                .adminEnabled(false)
                .connectorYaml("connectors.yaml", """
                        connectors:
                          - name: shop-api
                            type: http
                            baseUrl: %s
                            allowPrivateNetworks: true
                            operations:
                              getInventory: {path: "/inventory/{sku}"}
                              getStoreHours: {path: "/stores/{storeId}/hours"}
                        """.formatted(shop.baseUrl()))
                .build(), tracing("parley-worker"));
        running.add(worker);
    }

    private KafkaConsumer<String, ChatReply> replies() {
        KafkaConsumer<String, ChatReply> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topics.defaultReplies().keySerde().deserializer(), topics.defaultReplies().valueSerde().deserializer());
        consumer.subscribe(List.of(topics.defaultReplies().name()));
        return consumer;
    }

    private SpanData only(String name) {
        List<SpanData> named = spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).toList();
        assertThat(named).as("spans named %s", name).hasSize(1);
        return named.get(0);
    }

    private static String traceparent(SpanData span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01";
    }

    @Test
    void aTurnWithTwoParallelBackendCallsIsOneTraceFromTheGatewayToTheReply() throws Exception {
        // Given a processor and a worker on a real broker, and the gateway's publisher, all tracing
        startProcessorAndWorker();
        Tracing gatewayTracing = tracing("parley-gateway");
        running.add(gatewayTracing);
        KafkaChatEventPublisher gateway = new KafkaChatEventPublisher(topics.chatEvents(),
                Map.of("bootstrap.servers", kafka.bootstrapServers()), gatewayTracing);
        running.add(gateway);

        // When a user asks something that needs two backend calls
        ChatEvent question = ChatEvent.newBuilder()
                .setEventId("evt-" + UUID.randomUUID())
                .setConversationId("conv-" + UUID.randomUUID())
                .setUserId(USER)
                .setChannel("web")
                .setType(ChatEventType.MESSAGE)
                .setText("is mug-01 in stock")
                .setPayload(Map.of())
                .setLocale("en-GB")
                .setOccurredAt(Instant.now())
                .build();
        gateway.publish(question).toCompletableFuture().get();

        // Then the reply comes, and with it every span of the turn
        List<ConsumerRecord<String, ChatReply>> replies = new ArrayList<>();
        try (KafkaConsumer<String, ChatReply> consumer = replies()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(replies::add);
                return replies.stream().anyMatch(reply -> reply.value().getKind() == ReplyKind.ANSWER);
            });
        }
        assertThat(replies).extracting(reply -> reply.value().getKind()).containsExactly(ReplyKind.ANSWER);
        assertThat(replies.get(0).value().getText()).isEqualTo("12 left; open from 09:00.");
        await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().size() >= 6);

        SpanData chat = only("chat message");
        SpanData turn = only("turn");
        SpanData inventoryRequest = only("request shop-api.getInventory");
        SpanData hoursRequest = only("request shop-api.getStoreHours");
        SpanData inventoryCall = only("call shop-api.getInventory");
        SpanData hoursCall = only("call shop-api.getStoreHours");

        // one trace: gateway → turn → two requests → a worker call under each
        assertThat(spans.getFinishedSpanItems()).hasSize(6).extracting(SpanData::getTraceId).containsOnly(chat.getTraceId());
        assertThat(chat.getParentSpanContext().isValid()).isFalse();
        assertThat(chat.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(chat.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
                .isEqualTo("parley-gateway");
        assertThat(turn.getParentSpanId()).isEqualTo(chat.getSpanId());
        assertThat(inventoryRequest.getParentSpanId()).isEqualTo(turn.getSpanId());
        assertThat(hoursRequest.getParentSpanId()).isEqualTo(turn.getSpanId());
        assertThat(inventoryCall.getParentSpanId()).isEqualTo(inventoryRequest.getSpanId());
        assertThat(hoursCall.getParentSpanId()).isEqualTo(hoursRequest.getSpanId());
        // the two requests were out at the same time, within the turn
        assertThat(inventoryRequest.getStartEpochNanos()).isLessThan(hoursRequest.getEndEpochNanos());
        assertThat(hoursRequest.getStartEpochNanos()).isLessThan(inventoryRequest.getEndEpochNanos());
        assertThat(turn.getStartEpochNanos()).isLessThanOrEqualTo(inventoryRequest.getStartEpochNanos());
        assertThat(turn.getEndEpochNanos()).isGreaterThanOrEqualTo(inventoryRequest.getEndEpochNanos());
        // the backend got each call span's traceparent
        assertThat(header(shop.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo("/inventory/" + SKU))))).containsExactly(traceparent(inventoryCall));
        assertThat(header(shop.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo("/stores/main/hours"))))).containsExactly(traceparent(hoursCall));
        // the reply record carries the turn's context
        Header replyTrace = replies.get(0).headers().lastHeader("traceparent");
        assertThat(new String(replyTrace.value(), StandardCharsets.UTF_8)).isEqualTo(traceparent(turn));
        // and no slot value, user or message text is in any span
        assertThat(spans.getFinishedSpanItems()).allSatisfy(span -> assertThat(span.toString())
                .doesNotContain(SKU).doesNotContainIgnoringCase("mug-01").doesNotContain(USER).doesNotContain("in stock"));
    }

    private static List<String> header(List<LoggedRequest> requests) {
        return requests.stream().map(request -> request.getHeader("traceparent")).toList();
    }
}
