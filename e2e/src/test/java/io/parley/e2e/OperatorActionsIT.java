package io.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.gateway.Gateway;
import io.parley.gateway.GatewayConfig;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.ParleyProcessor;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator actions end to end on a real broker: an operator at the gateway console erases a user's
 * conversation and the processor forgets it (ERASED audit, a reply), and replays a dead-lettered
 * chat event that the processor then answers.
 */
class OperatorActionsIT {

    private static final String OPERATOR_TOKEN = "operator-token-for-the-e2e-0123";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path directory;

    private static EmbeddedKafkaCluster kafka;
    private static EmbeddedSchemaRegistry registry;
    private static ParleyProcessor processor;
    private static Gateway gateway;
    private static Topics topics;
    private static KafkaConsumer<String, AuditEvent> audit;
    private static KafkaConsumer<String, ChatReply> replies;
    private static final List<AuditEvent> audits = new CopyOnWriteArrayList<>();
    private static final List<ChatReply> answers = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.start();
        registry = EmbeddedSchemaRegistry.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(2, names.chatEvents(), names.backendRequests(), names.backendResponses(), names.notifications());
        kafka.createTopics(1, names.audit(), names.deadLetters(), names.workerDeadLetters(), names.defaultReplies(),
                "chat.replies.web");
        topics = Topics.create(names, Map.of("schema.registry.url", registry.url()));
        processor = ParleyProcessor.start(ProcessorConfig.builder()
                .kafka("bootstrap.servers", kafka.bootstrapServers())
                .kafka("application.id", "operator-actions-" + UUID.randomUUID())
                .kafka("state.dir", Files.createDirectories(directory.resolve("state")).toString())
                .kafka("commit.interval.ms", "100")
                .schemaRegistry("schema.registry.url", registry.url())
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")))
                .adminPort(0)
                .build());
        assertThat(processor.awaitRunning(TIMEOUT)).as("processor running").isTrue();
        gateway = Gateway.start(GatewayConfig.parse("gateway.yaml", """
                http: {host: 127.0.0.1, port: 0}
                kafka: {bootstrap.servers: "%s"}
                schemaRegistry: {schema.registry.url: "%s"}
                tokens: {audience: parley-web, hs256Secret: "a-secret-of-at-least-32-bytes-0123456789"}
                conversationKey: "conversation-key-of-at-least-32-bytes"
                admin: {port: 0}
                access:
                  tokens: [{name: oncall, token: "%s", role: operator}]
                """.formatted(kafka.bootstrapServers(), registry.url(), OPERATOR_TOKEN)), Clock.systemUTC());
        audit = consumer(topics.audit().keySerde().deserializer(), topics.audit().valueSerde().deserializer(), names.audit());
        replies = consumer(topics.defaultReplies().keySerde().deserializer(), topics.defaultReplies().valueSerde().deserializer(),
                names.defaultReplies());
    }

    private static <V> KafkaConsumer<String, V> consumer(org.apache.kafka.common.serialization.Deserializer<String> keys,
                                                       org.apache.kafka.common.serialization.Deserializer<V> values, String topic) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "operator-it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), keys, values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {audit, replies, gateway, processor, registry, kafka}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Test
    void anOperatorErasesAConversationAndTheProcessorForgetsIt() throws Exception {
        // Given alice talked in a conversation
        String conversation = "erase-" + UUID.randomUUID();
        say(conversation, "alice", "tell me a joke");
        await().atMost(TIMEOUT).until(() -> answered(conversation) >= 1);

        // When an operator erases alice's data there
        HttpResponse<String> erase = post("/console/api/erase",
                "{\"userId\":\"alice\",\"conversationId\":\"" + conversation + "\",\"channel\":\"web\"}");
        assertThat(erase.statusCode()).as(erase.body()).isEqualTo(202);

        // Then the processor records ERASED and answers, and the operator's action is audited
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(audited(conversation, AuditKind.ERASED)).isTrue();
            assertThat(audited(conversation, AuditKind.OPERATOR_ACTION)).isTrue();
            assertThat(answered(conversation)).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void aReplayedDeadLetterReachesTheProcessorAndIsAnswered() throws Exception {
        // Given a chat event that was dead-lettered (as Kafka Streams writes one) and never answered
        String conversation = "replay-" + UUID.randomUUID();
        ChatEvent event = ChatEvent.newBuilder().setEventId("ev-" + conversation).setConversationId(conversation)
                .setUserId("bob").setChannel("web").setType(ChatEventType.MESSAGE).setText("tell me a joke")
                .setPayload(Map.of()).setOccurredAt(Instant.now()).build();
        RecordHeaders headers = new RecordHeaders();
        headers.add("__streams.errors.topic", "chat.events".getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.exception", "org.apache.kafka.common.errors.TimeoutException".getBytes(StandardCharsets.UTF_8));
        long offset;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            offset = producer.send(new ProducerRecord<>("chat.dlq", 0, conversation.getBytes(StandardCharsets.UTF_8),
                    topics.chatEvents().valueSerde().serializer().serialize("chat.events", event), headers)).get().offset();
        }
        assertThat(answered(conversation)).isZero();

        // When the operator replays it
        HttpResponse<String> replay = post("/console/api/replay", "{\"topic\":\"chat.dlq\",\"partition\":0,\"offset\":" + offset + "}");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);

        // Then the processor answers it, once
        await().atMost(TIMEOUT).until(() -> answered(conversation) == 1);
        assertThat(post("/console/api/replay", "{\"topic\":\"chat.dlq\",\"partition\":0,\"offset\":" + offset + "}").statusCode())
                .isEqualTo(409);
    }

    private static void say(String conversation, String user, String text) throws Exception {
        try (KafkaProducer<String, ChatEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                topics.chatEvents().keySerde().serializer(), topics.chatEvents().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>("chat.events", conversation, ChatEvent.newBuilder()
                    .setEventId(UUID.randomUUID().toString()).setConversationId(conversation).setUserId(user).setChannel("web")
                    .setType(ChatEventType.MESSAGE).setText(text).setPayload(Map.of()).setOccurredAt(Instant.now()).build())).get();
        }
    }

    private static synchronized long answered(String conversation) {
        replies.poll(Duration.ofMillis(200)).forEach(r -> answers.add(r.value()));
        return answers.stream().filter(r -> r.getConversationId().equals(conversation)).count();
    }

    private static synchronized boolean audited(String conversation, AuditKind kind) {
        audit.poll(Duration.ofMillis(200)).forEach(r -> audits.addAll(AuditSteps.of(r.value())));
        return audits.stream().anyMatch(a -> conversation.equals(a.getConversationId()) && a.getKind() == kind);
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.uri().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
