package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.runtime.Secret;
import io.parley.runtime.access.AccessSettings;
import io.parley.runtime.access.Role;
import io.parley.runtime.access.TestIdentityProvider;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor as it runs in production — Kafka Streams with exactly-once on a real broker, the
 * admin endpoint on a real port — with a fake worker answering its backend requests.
 */
class ProcessorEndToEndIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String TOKEN = "an-admin-token-for-tests";

    @TempDir
    static Path stateDir;

    private static EmbeddedKafkaCluster kafka;
    private static ParleyProcessor processor;
    private static Topics topics;
    private static FakeWorker worker;
    private static KafkaProducer<String, ChatEvent> chat;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String VIEWER_TOKEN = "viewer-token-0123456789";
    private static final TestIdentityProvider IDP = new TestIdentityProvider();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(2, names.chatEvents(), names.backendResponses(), names.backendRequests(), names.notifications());
        kafka.createTopics(1, names.audit(), names.deadLetters(), names.defaultReplies(), "chat.replies.web");
        ProcessorConfig config = ProcessorConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                        "application.id", "parley-it",
                        "state.dir", Files.createDirectories(stateDir.resolve("state")).toString()))
                .schemaRegistry("schema.registry.url", "mock://processor-it-" + UUID.randomUUID())
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")))
                .replyRoute("web", "chat.replies.web")
                .adminPort(0)
                .adminSessionToken(Secret.of(TOKEN))
                .access(new AccessSettings(List.of(new AccessSettings.NamedToken("grafana", Secret.of(VIEWER_TOKEN), Role.VIEWER)),
                        Optional.of(new AccessSettings.Oidc(Optional.of(IDP.jwksUrl()), Optional.empty(), TestIdentityProvider.ISSUER,
                                TestIdentityProvider.AUDIENCE, "roles", Map.of("ops", Role.OPERATOR, "support", Role.VIEWER))),
                        true, true))
                .build();
        topics = Topics.create(names, config.schemaRegistry());
        worker = new FakeWorker(kafka.bootstrapServers(), topics, request -> switch (request.getOperation()) {
            case "getOrder" -> request.getParams().get("orderId").equals("1001") ? DemoResults.ORDER_1001 : null;
            case "getCustomerProfile" -> DemoResults.PROFILE_ALICE;
            default -> null;
        });
        chat = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.chatEvents().keySerde().serializer(), topics.chatEvents().valueSerde().serializer());
        processor = ParleyProcessor.start(config);
        assertThat(processor.awaitRunning(TIMEOUT)).as("processor running").isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        IDP.close();
        if (processor != null) {
            processor.close();
        }
        if (chat != null) {
            chat.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void questionIsAnsweredThroughTheWorker() {
        String conversation = "e2e-" + UUID.randomUUID();
        try (TopicReader<String, ChatReply> replies = replyReader("chat.replies.web")) {
            say(conversation, "where is my order 1001");

            // A loaded machine may take longer than the flow's interimAfter (2 s): the interim reply comes first then.
            ChatReply reply = replies.await(r -> r.key().equals(conversation) && !isInterim(r.value()), TIMEOUT).value();

            assertThat(reply.getKind()).isEqualTo(ReplyKind.ANSWER);
            assertThat(reply.getText()).startsWith("Order 1001 is SHIPPED");
            assertThat(worker.received()).anySatisfy(request -> {
                assertThat(request.getConversationId()).isEqualTo(conversation);
                assertThat(request.getParams()).containsEntry("customerId", "alice");
            });
        }
    }

    @Test
    void unreadableEventGoesToTheDeadLetterTopicWithErrorHeadersAndProcessingGoesOn() {
        String conversation = "dlq-" + UUID.randomUUID();
        byte[] garbage = ("not avro " + conversation).getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer());
             TopicReader<byte[], byte[]> deadLetters = new TopicReader<>(kafka.bootstrapServers(), "chat.dlq",
                     new ByteArrayDeserializer(), new ByteArrayDeserializer());
             TopicReader<String, ChatReply> replies = replyReader("chat.replies.web")) {
            raw.send(new ProducerRecord<>("chat.events", conversation.getBytes(StandardCharsets.UTF_8), garbage));
            raw.flush();
            say(conversation, "tell me a joke");

            ConsumerRecord<byte[], byte[]> dead = deadLetters.await(r -> Arrays.equals(r.value(), garbage), TIMEOUT);
            assertThat(header(dead, "__streams.errors.topic")).isEqualTo("chat.events");
            assertThat(header(dead, "__streams.errors.exception")).isEqualTo("org.apache.kafka.common.errors.SerializationException");
            assertThat(header(dead, "__streams.errors.offset")).isNotBlank();
            assertThat(replies.await(r -> r.key().equals(conversation) && !isInterim(r.value()), TIMEOUT).value().getKind())
                    .isEqualTo(ReplyKind.FALLBACK);
            assertThat(processor.isRunning()).isTrue();
        }
    }

    @Test
    void sessionLookupNeedsTheBearerToken() throws Exception {
        String conversation = "admin-" + UUID.randomUUID();
        try (TopicReader<String, ChatReply> replies = replyReader("chat.replies.web")) {
            say(conversation, "tell me a joke");
            replies.await(r -> r.key().equals(conversation), TIMEOUT);
        }
        URI session = URI.create(processor.adminUrl() + "/sessions/" + conversation);

        assertThat(get(session, null).statusCode()).isEqualTo(401);
        assertThat(get(session, "Bearer wrong-token-wrong-token").statusCode()).isEqualTo(401);
        HttpResponse<String> found = get(session, "Bearer " + TOKEN);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("\"conversationId\":\"" + conversation + "\"").contains("\"userId\":\"alice\"");
        assertThat(get(URI.create(processor.adminUrl() + "/sessions/nobody"), "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void sessionLookupFindsIdsWithCharactersAPathMustEscape() throws Exception {
        // Given conversations whose ids hold a plus, a percent sign, a slash, a space and non-ASCII letters
        String suffix = UUID.randomUUID().toString();
        List<String> conversations = List.of("a+b-" + suffix, "100%-" + suffix, "a/b-" + suffix, "with space-" + suffix,
                "ünïcødé-会話-" + suffix);
        try (TopicReader<String, ChatReply> replies = replyReader("chat.replies.web")) {
            for (String conversation : conversations) {
                say(conversation, "tell me a joke");
            }
            for (String conversation : conversations) {
                replies.await(r -> r.key().equals(conversation), TIMEOUT);
            }
        }

        // Then each is found by its percent-encoded id, and nothing else is
        for (String conversation : conversations) {
            String path = "/sessions/" + percentEncoded(conversation);
            HttpResponse<String> found = get(URI.create(processor.adminUrl() + path), "Bearer " + TOKEN);
            assertThat(found.statusCode()).as(path).isEqualTo(200);
            assertThat(found.body()).as(path).contains("\"userId\":\"alice\"");
        }
        assertThat(get(URI.create(processor.adminUrl() + "/sessions/a%20b-" + suffix), "Bearer " + TOKEN).statusCode())
                .isEqualTo(404);
        assertThat(get(URI.create(processor.adminUrl() + "/sessions/100%25zz"), "Bearer " + TOKEN).statusCode())
                .isEqualTo(404);
        assertThat(get(URI.create(processor.adminUrl() + "/sessions/bad%C3"), "Bearer " + TOKEN).statusCode())
                .isEqualTo(400);
    }

    @Test
    void sessionsInClearAreForOperatorsAndFlowsForViewers() throws Exception {
        // Given a conversation with a session
        String conversation = "roles-" + UUID.randomUUID();
        try (TopicReader<String, ChatReply> replies = replyReader("chat.replies.web")) {
            say(conversation, "tell me a joke");
            replies.await(r -> r.key().equals(conversation), TIMEOUT);
        }
        URI session = URI.create(processor.adminUrl() + "/sessions/" + conversation);
        URI flows = URI.create(processor.adminUrl() + "/flows/graph.svg");
        String viewerJwt = IDP.token("vera", "support");
        String operatorJwt = IDP.token("otto", "ops");

        // Then viewers (token or JWT) see the flows but not the session in clear
        for (String viewer : List.of(VIEWER_TOKEN, viewerJwt)) {
            assertThat(get(flows, "Bearer " + viewer).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = get(session, "Bearer " + viewer);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("needs the operator role").doesNotContain("alice");
        }
        // And an operator's JWT reads it; flows need a credential now that access is configured
        HttpResponse<String> found = get(session, "Bearer " + operatorJwt);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("\"userId\":\"alice\"");
        assertThat(get(flows, null).statusCode()).isEqualTo(401);
        assertThat(get(session, "Bearer " + IDP.expired("otto", "ops")).statusCode()).isEqualTo(401);
        assertThat(get(session, "Bearer " + IDP.forged("otto", "ops")).statusCode()).isEqualTo(401);
    }

    @Test
    void metricsAndHealthAreServed() throws Exception {
        String conversation = "metrics-" + UUID.randomUUID();
        try (TopicReader<String, ChatReply> replies = replyReader("chat.replies.web")) {
            say(conversation, "tell me a joke");
            replies.await(r -> r.key().equals(conversation), TIMEOUT);
        }

        assertThat(get(URI.create(processor.adminUrl() + "/health/ready"), null).statusCode()).isEqualTo(200);
        assertThat(get(URI.create(processor.adminUrl() + "/health/live"), null).statusCode()).isEqualTo(200);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get(URI.create(processor.adminUrl() + "/metrics"), null).body())
                .contains("parley_turns_total{intent=\"none\",outcome=\"no_match\"}")
                .contains("parley_turn_latency_seconds")
                .contains("parley_pending_calls")
                .contains("kafka_stream_"));
    }

    private static void say(String conversation, String text) {
        chat.send(new ProducerRecord<>("chat.events", conversation, ChatEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setConversationId(conversation)
                .setUserId("alice")
                .setChannel("web")
                .setType(ChatEventType.MESSAGE)
                .setText(text)
                .setPayload(Map.of())
                .setOccurredAt(Instant.now())
                .build()));
        chat.flush();
    }

    private static TopicReader<String, ChatReply> replyReader(String topic) {
        return new TopicReader<>(kafka.bootstrapServers(), topic, topics.replies(topic).keySerde().deserializer(),
                topics.replies(topic).valueSerde().deserializer());
    }

    private static HttpResponse<String> get(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** RFC 3986 percent-encoding of a path segment, as a client writes it ('+' is a character of its own). */
    private static String percentEncoded(String id) {
        StringBuilder out = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~+".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static boolean isInterim(ChatReply reply) {
        return reply.getKind() == ReplyKind.INTERIM;
    }
}
