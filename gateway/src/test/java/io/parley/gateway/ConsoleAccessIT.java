package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.gateway.console.OperatorActions;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.runtime.Secret;
import io.parley.runtime.access.TestIdentityProvider;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's role-based access on a real gateway over real HTTP, with configured tokens, the
 * older console.adminToken and JWTs of an OIDC provider whose JWKS a local server serves; the
 * operator actions (erase, dead-letter replay) and their audit records on the embedded broker.
 */
class ConsoleAccessIT {

    private static final String REGISTRY = "mock://console-access-it";
    private static final String VIEWER_TOKEN = "viewer-console-token-0123";
    private static final String OPERATOR_TOKEN = "operator-console-token-0123";
    private static final String LEGACY_TOKEN = "legacy-console-admin-token";
    private static final String PSEUDONYM_KEY = "pseudonym-key-of-the-audit-0123";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String FLOW_TOKEN = "processor-viewer-token-0123";
    private static com.sun.net.httpserver.HttpServer processorFlows;

    private static EmbeddedKafkaCluster kafka;
    private static TestIdentityProvider idp;
    private static Gateway gateway;
    private static Topics topics;
    private static KafkaConsumer<byte[], byte[]> raw;
    private static final List<ConsumerRecord<byte[], byte[]>> seen = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopics(1, "chat.events", "chat.replies.web", "chat.audit", "chat.dlq", "backend.requests.dlq");
        idp = new TestIdentityProvider();
        processorFlows = startProcessorFlows();
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", """
                http: {host: 127.0.0.1, port: 0}
                kafka: {bootstrap.servers: "%s"}
                schemaRegistry: {schema.registry.url: "%s"}
                tokens: {audience: parley-web, hs256Secret: "a-secret-of-at-least-32-bytes-0123456789"}
                conversationKey: "conversation-key-of-at-least-32-bytes"
                admin: {port: 0}
                console: {adminToken: "%s", flowGraph: "http://127.0.0.1:%d/flows/graph.svg", flowGraphToken: "%s"}
                audit: {pseudonymizeUsers: true, pseudonymKey: "%s"}
                access:
                  tokens:
                    - {name: grafana, token: "%s", role: viewer}
                    - {name: alice-ops, token: "%s", role: operator}
                  oidc:
                    jwksUrl: "%s"
                    issuer: "%s"
                    audience: "%s"
                    rolesClaim: roles
                    roles: {support: viewer, sre: operator}
                """.formatted(kafka.bootstrapServers(), REGISTRY, LEGACY_TOKEN,
                processorFlows.getAddress().getPort(), FLOW_TOKEN, PSEUDONYM_KEY, VIEWER_TOKEN, OPERATOR_TOKEN,
                idp.jwksUrl(), TestIdentityProvider.ISSUER, TestIdentityProvider.AUDIENCE));
        gateway = Gateway.start(config, Clock.systemUTC());
        topics = Topics.create(TopicNames.defaults(), Map.of("schema.registry.url", REGISTRY));
        raw = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "console-access-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        raw.subscribe(List.of("chat.events", "chat.audit"));
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (idp != null) {
            idp.close();
        }
        if (processorFlows != null) {
            processorFlows.stop(0);
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyRoleGetsWhatItMayAndNothingMore() throws Exception {
        String viewerJwt = idp.token("vera", "support");
        String operatorJwt = idp.token("otto", "sre");
        List<String> viewers = List.of(VIEWER_TOKEN, viewerJwt);
        List<String> operators = List.of(OPERATOR_TOKEN, operatorJwt, LEGACY_TOKEN);
        List<String> readEndpoints = List.of("/console/api/conversations", "/console/api/connectors", "/console/api/me");
        for (String path : readEndpoints) {
            assertThat(get(path, null).statusCode()).as(path + " without a token").isEqualTo(401);
            assertThat(get(path, "not-a-token-we-know-of").statusCode()).as(path + " unknown token").isEqualTo(401);
            for (String token : concat(viewers, operators)) {
                assertThat(get(path, token).statusCode()).as(path).isEqualTo(200);
            }
        }
        // flows.svg: allowed to both roles; the gateway fetched it from a "processor" that wants its viewer token
        for (String token : concat(viewers, operators)) {
            HttpResponse<String> flows = get("/console/api/flows.svg", token);
            assertThat(flows.statusCode()).isEqualTo(200);
            assertThat(flows.body()).contains("<svg");
        }
        assertThat(get("/console/api/flows.svg", null).statusCode()).isEqualTo(401);
        // The page learns whether to show the operator buttons
        assertThat(get("/console/api/me", viewerJwt).body()).isEqualTo("{\"name\":\"oidc:vera\",\"role\":\"viewer\",\"actions\":false}");
        assertThat(get("/console/api/me", LEGACY_TOKEN).body())
                .isEqualTo("{\"name\":\"console.adminToken\",\"role\":\"operator\",\"actions\":true}");
        // Operator actions: 401 without, 403 for viewers, allowed for operators (400 on an empty body proves it got past access)
        for (String path : List.of("/console/api/erase", "/console/api/replay")) {
            assertThat(post(path, null, "{}").statusCode()).isEqualTo(401);
            for (String token : viewers) {
                HttpResponse<String> refused = post(path, token, "{}");
                assertThat(refused.statusCode()).as(path).isEqualTo(403);
                assertThat(refused.body()).contains("this needs the operator role").doesNotContain(token);
            }
            for (String token : operators) {
                assertThat(post(path, token, "{}").statusCode()).as(path).isEqualTo(400);
            }
        }
    }

    @Test
    void forgedExpiredUnsignedAndMisaddressedJwtsAreRefused() throws Exception {
        for (String token : List.of(idp.forged("otto", "sre"), idp.expired("otto", "sre"), idp.unsigned("otto", "sre"),
                idp.forAudience("another-app", "otto", "sre"), idp.fromIssuer("https://evil.invalid/", "otto", "sre"))) {
            HttpResponse<String> refused = post("/console/api/erase", token,
                    "{\"userId\":\"bob\",\"conversationId\":\"c-forged\"}");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).isPresent();
        }
        assertThat(get("/console/api/conversations", idp.token("nobody", "accounting")).statusCode()).isEqualTo(403);
    }

    @Test
    void anOperatorErasesAUsersConversationAndTheActionIsAudited() throws Exception {
        // Given an operator signed in with a JWT
        String conversation = "erase-" + UUID.randomUUID();
        // When they erase bob's data in that conversation
        HttpResponse<String> response = post("/console/api/erase", idp.token("otto", "sre"),
                "{\"userId\":\"bob\",\"conversationId\":\"" + conversation + "\",\"channel\":\"web\"}");
        assertThat(response.statusCode()).isEqualTo(202);
        // Then an ERASE chat event for bob's conversation is on chat.events
        ChatEvent erase = await().atMost(TIMEOUT).until(() -> chatEvent(conversation), e -> e != null);
        assertThat(erase.getType()).isEqualTo(ChatEventType.ERASE);
        assertThat(erase.getUserId()).isEqualTo("bob");
        assertThat(erase.getChannel()).isEqualTo("web");
        assertThat(response.body()).contains(erase.getEventId());
        // And an OPERATOR_ACTION audit record names the operator by subject and bob by pseudonym only
        AuditEvent audit = await().atMost(TIMEOUT).until(() -> operatorAudit(conversation, "erase"), a -> a != null);
        assertThat(audit.getUserRef()).isEqualTo(UserReferences.pseudonymised(Secret.of(PSEUDONYM_KEY)).of("bob"))
                .isNotEqualTo("bob");
        assertThat(audit.getAttributes()).containsEntry("actor", "oidc:otto").containsEntry("role", "operator")
                .containsEntry("outcome", "accepted").containsEntry("eventId", erase.getEventId());
        assertThat(audit.toString()).doesNotContain("bob\"").doesNotContain("eyJ");
    }

    @Test
    void aViewersAttemptIsRefusedAndAudited() throws Exception {
        HttpResponse<String> refused = post("/console/api/erase", VIEWER_TOKEN,
                "{\"userId\":\"carol\",\"conversationId\":\"c-refused\"}");
        assertThat(refused.statusCode()).isEqualTo(403);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(audits()).anySatisfy(a -> assertThat(a.getAttributes())
                .containsEntry("actor", "grafana").containsEntry("action", "erase").containsEntry("outcome", "refused")));
        assertThat(get("/console/api/me", VIEWER_TOKEN).body()).doesNotContain(VIEWER_TOKEN);
    }

    @Test
    void anOperatorReplaysADeadLetterOnceWithItsOriginalBytesAndHeaders() throws Exception {
        // Given a chat event dead-lettered by the processor (KIP-1034 headers) with a tracing header of its own
        String conversation = "replay-" + UUID.randomUUID();
        ChatEvent original = ChatEvent.newBuilder().setEventId("ev-" + conversation).setConversationId(conversation)
                .setUserId("dave").setChannel("web").setType(ChatEventType.MESSAGE).setText("where is my order?")
                .setPayload(Map.of()).setOccurredAt(Instant.now()).build();
        byte[] value = topics.chatEvents().valueSerde().serializer().serialize("chat.events", original);
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.topic", "chat.events".getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.partition", "0".getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.offset", "41".getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.exception", "org.apache.kafka.common.errors.TimeoutException".getBytes(StandardCharsets.UTF_8));
        long offset;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            offset = producer.send(new ProducerRecord<>("chat.dlq", 0, conversation.getBytes(StandardCharsets.UTF_8), value,
                    headers)).get().offset();
        }
        String request = "{\"topic\":\"chat.dlq\",\"partition\":0,\"offset\":" + offset + "}";

        // When an operator replays it
        HttpResponse<String> replayed = post("/console/api/replay", OPERATOR_TOKEN, request);

        // Then the same key, value and own headers are back on chat.events, marked as a replay, without the error headers
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        ConsumerRecord<byte[], byte[]> back = await().atMost(TIMEOUT).until(() -> rawRecord("chat.events", conversation), r -> r != null);
        assertThat(back.value()).isEqualTo(value);
        assertThat(header(back, "traceparent")).startsWith("00-0af7651916cd43dd8448eb211c80319c");
        assertThat(header(back, OperatorActions.REPLAY_OF)).isEqualTo("chat.dlq/0/" + offset);
        assertThat(header(back, OperatorActions.REPLAY_BY)).isEqualTo("alice-ops");
        assertThat(back.headers().lastHeader("__streams.errors.topic")).isNull();
        // And a second replay of the same dead letter is refused rather than delivered twice
        HttpResponse<String> again = post("/console/api/replay", idp.token("otto", "sre"), request);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("already replayed by alice-ops");
        // And both are audited
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(operatorAudit(conversation, "replay")).isNotNull().satisfies(a -> assertThat(a.getAttributes())
                    .containsEntry("actor", "alice-ops").containsEntry("outcome", "replayed")
                    .containsEntry("deadLetter", "chat.dlq/0/" + offset));
            assertThat(audits()).anySatisfy(a -> assertThat(a.getAttributes()).containsEntry("actor", "oidc:otto")
                    .containsEntry("outcome", "duplicate").containsEntry("deadLetter", "chat.dlq/0/" + offset));
        });
        // And topics that are not dead letters cannot be "replayed"
        assertThat(post("/console/api/replay", OPERATOR_TOKEN, "{\"topic\":\"chat.events\",\"partition\":0,\"offset\":0}")
                .statusCode()).isEqualTo(400);
        assertThat(post("/console/api/replay", OPERATOR_TOKEN, "{\"topic\":\"chat.dlq\",\"partition\":0,\"offset\":999999}")
                .statusCode()).isEqualTo(404);
    }

    /** A processor's /flows/graph.svg with access configured: the picture only for its viewer token. */
    private static com.sun.net.httpserver.HttpServer startProcessorFlows() {
        try {
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/flows/graph.svg", exchange -> {
                boolean allowed = ("Bearer " + FLOW_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = (allowed ? "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>"
                        : "{\"error\":\"a bearer token is required\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static synchronized void drain() {
        raw.poll(Duration.ofMillis(200)).forEach(seen::add);
    }

    private static ChatEvent chatEvent(String conversation) {
        ConsumerRecord<byte[], byte[]> record = rawRecord("chat.events", conversation);
        return record == null ? null : topics.chatEvents().valueSerde().deserializer().deserialize("chat.events", record.value());
    }

    private static ConsumerRecord<byte[], byte[]> rawRecord(String topic, String key) {
        drain();
        return seen.stream().filter(r -> r.topic().equals(topic) && r.key() != null
                && new String(r.key(), StandardCharsets.UTF_8).equals(key)).findFirst().orElse(null);
    }

    private static List<AuditEvent> audits() {
        drain();
        List<AuditEvent> audits = new ArrayList<>();
        seen.stream().filter(r -> r.topic().equals("chat.audit"))
                .forEach(r -> audits.addAll(AuditSteps.of(topics.audit().valueSerde().deserializer().deserialize("chat.audit", r.value()))));
        return audits.stream().filter(a -> a.getKind() == AuditKind.OPERATOR_ACTION).toList();
    }

    private static AuditEvent operatorAudit(String conversation, String action) {
        return audits().stream().filter(a -> conversation.equals(a.getConversationId()) && action.equals(a.getOperation()))
                .findFirst().orElse(null);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri().resolve(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
