package io.parley.local;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.ParleyProcessor;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.topics.Topic;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import io.parley.worker.ConnectorWorker;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 end to end: the processor and a real worker on the embedded broker, the shop API
 * played by WireMock. A v2 answer that breaks its response schema reaches the user as the
 * intent's INVALID_RESPONSE template and is audited with its violations (never its values); a
 * flow that names the operation plainly gets the default version, and the audit says which.
 */
class ResponseContractIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final WireMockExtension shop = WireMockExtension.newInstance()
            .options(options().bindAddress("127.0.0.1").dynamicPort()).build();

    @TempDir
    static Path stateDir;

    private static EmbeddedKafkaCluster kafka;
    private static ParleyProcessor processor;
    private static ConnectorWorker worker;
    private static Topics topics;
    private static KafkaProducer<String, ChatEvent> chat;
    private static KafkaConsumer<String, ChatReply> replies;
    private static KafkaConsumer<String, AuditEvent> audit;
    private static final List<ChatReply> received = new CopyOnWriteArrayList<>();
    private static final List<AuditEvent> audited = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(2, names.chatEvents(), names.backendResponses(), names.backendRequests(), names.notifications());
        kafka.createTopics(1, names.audit(), names.deadLetters(), names.defaultReplies());
        Map<String, String> registry = Map.of("schema.registry.url", "mock://contracts-" + UUID.randomUUID());
        topics = Topics.create(names, registry);
        processor = ParleyProcessor.start(ProcessorConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                        "application.id", "parley-contracts-it",
                        "state.dir", Files.createDirectories(stateDir.resolve("state")).toString()))
                .schemaRegistry(registry)
                .flows(List.of(FlowSource.classpath("flows/contracts.yaml")))
                .adminPort(0)
                .build());
        assertThat(processor.awaitRunning(TIMEOUT)).as("processor running").isTrue();
        worker = ConnectorWorker.start(WorkerConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .schemaRegistry(registry)
                .topics(names)
                .mode(WorkerMode.SHARE)
                .groupId("contracts-workers")
                .adminPort(0)
                .shutdownTimeout(Duration.ofSeconds(2))
                .connectorYaml("connectors.yaml", """
                        connectors:
                          - name: shop-api
                            type: http
                            baseUrl: %s
                            allowPrivateNetworks: true
                            operations:
                              getOrder:
                                default: v1
                                versions:
                                  v1:
                                    path: /v1/orders/{orderId}
                                    response:
                                      schema: {type: object, required: [status], properties: {status: {type: string}}}
                                  v2:
                                    path: /v2/orders/{orderId}
                                    response:
                                      root: /order
                                      schema:
                                        type: object
                                        required: [order]
                                        properties:
                                          order:
                                            type: object
                                            required: [state]
                                            properties: {state: {enum: [OPEN, SHIPPED, DELIVERED]}}
                        """.formatted(shop.baseUrl()))
                .build());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(WorkerReadiness.await(admin, "contracts-workers", names.backendRequests(), TIMEOUT))
                    .as("the worker holds every request partition").isTrue();
        }
        chat = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.chatEvents().keySerde().serializer(), topics.chatEvents().valueSerde().serializer());
        replies = consumer(names.defaultReplies(), topics.defaultReplies());
        audit = consumer(names.audit(), topics.audit());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {audit, replies, chat, worker, processor, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void anAnswerThatBreaksTheContractReachesTheUserAsItsTemplateAndIsAuditedWithoutItsValues() throws Exception {
        // Given the v2 API answers a state the contract does not know, holding personal data
        shop.stubFor(get(urlPathEqualTo("/v2/orders/alice-1")).willReturn(okJson("""
                {"order": {"state": "alice@example.com"}}""")));

        // When alice asks with the flow pinned to v2
        send(event("conv-alice", "alice", "track my order"));

        // Then she gets the intent's INVALID_RESPONSE reply
        awaitReply("conv-alice", "The order service answered in a way I can't read; the team has been told.");
        // And the audit record of the answer names the violation by pointer and keyword only
        AuditEvent answer = awaitAudit("conv-alice", AuditKind.BACKEND_RESPONSE);
        assertThat(answer.getStatus()).isEqualTo("INVALID_RESPONSE");
        assertThat(answer.getConnector()).isEqualTo("shop-api");
        assertThat(answer.getOperation()).isEqualTo("getOrder@v2");
        assertThat(answer.getAttributes())
                .containsEntry("violations", "the response does not match its schema: /order/state: enum");
        assertThat(audited).noneSatisfy(event -> assertThat(event.toString()).contains("alice@example.com"));
        shop.verify(1, getRequestedFor(urlPathEqualTo("/v2/orders/alice-1")));
    }

    @Test
    void aPlainOperationNameGetsTheDefaultVersionAndTheAuditNamesIt() throws Exception {
        // Given both versions answer
        shop.stubFor(get(urlPathEqualTo("/v1/orders/bob-1")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        shop.stubFor(get(urlPathEqualTo("/v2/orders/bob-1")).willReturn(okJson("{\"order\": {\"state\": \"OPEN\"}}")));

        // When bob asks with the flow that names getOrder without a version
        send(event("conv-bob", "bob", "status of my order"));

        // Then the default version v1 answered, and the audit says it was getOrder@v1
        awaitReply("conv-bob", "Your order is SHIPPED.");
        shop.verify(1, getRequestedFor(urlPathEqualTo("/v1/orders/bob-1")));
        shop.verify(0, getRequestedFor(urlPathEqualTo("/v2/orders/bob-1")));
        AuditEvent answer = awaitAudit("conv-bob", AuditKind.BACKEND_RESPONSE);
        assertThat(answer.getStatus()).isEqualTo("OK");
        assertThat(answer.getOperation()).isEqualTo("getOrder");
        assertThat(answer.getAttributes()).containsEntry("calledOperation", "getOrder@v1");
    }

    private static ChatEvent event(String conversationId, String userId, String text) {
        return ChatEvent.newBuilder()
                .setEventId("evt-" + UUID.randomUUID())
                .setConversationId(conversationId)
                .setUserId(userId)
                .setChannel("web")
                .setType(ChatEventType.MESSAGE)
                .setText(text)
                .setPayload(Map.of())
                .setLocale(null)
                .setOccurredAt(Instant.now())
                .build();
    }

    private static void send(ChatEvent event) throws Exception {
        chat.send(new ProducerRecord<>(topics.chatEvents().name(), event.getConversationId(), event)).get();
    }

    private static synchronized void awaitReply(String conversationId, String text) {
        await().atMost(TIMEOUT).until(() -> {
            replies.poll(Duration.ofMillis(200)).forEach(record -> received.add(record.value()));
            return received.stream().anyMatch(r -> r.getConversationId().equals(conversationId) && r.getText().equals(text));
        });
    }

    private static synchronized AuditEvent awaitAudit(String conversationId, AuditKind kind) {
        await().atMost(TIMEOUT).until(() -> {
            audit.poll(Duration.ofMillis(200)).forEach(record -> audited.addAll(AuditSteps.of(record.value())));
            return find(conversationId, kind).isPresent();
        });
        return find(conversationId, kind).orElseThrow();
    }

    private static Optional<AuditEvent> find(String conversationId, AuditKind kind) {
        return audited.stream().filter(a -> conversationId.equals(a.getConversationId()) && a.getKind() == kind).findFirst();
    }

    private static <V> KafkaConsumer<String, V> consumer(String topic, Topic<String, V> typed) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "contracts-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                typed.keySerde().deserializer(), typed.valueSerde().deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
