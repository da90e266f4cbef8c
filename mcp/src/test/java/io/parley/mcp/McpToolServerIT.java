package io.parley.mcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.topics.Topic;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import io.parley.worker.ConnectorWorker;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMode;
import io.parley.worker.config.YamlFiles;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP server with the SDK's own client, against the real worker on the embedded broker and a
 * WireMock shop API: initialize, tools/list, tools/call, and the errors (unknown tool, bad
 * arguments, a backend failure, an unknown caller).
 */
class McpToolServerIT {

    private static final Map<String, Object> REGISTRY = Map.of("schema.registry.url", "mock://mcp-it");
    private static final String TOKEN = "agent-token-0123456789";
    private static final String AUDIT_KEY = "audit-pseudonym-key-0123456789";

    @RegisterExtension
    static final WireMockExtension shop = WireMockExtension.newInstance()
            .options(options().bindAddress("127.0.0.1").dynamicPort()).build();

    @TempDir
    static Path directory;

    private static EmbeddedKafkaCluster kafka;
    private static TopicNames topics;
    private static ConnectorWorker worker;
    private static McpToolServer server;
    private static McpSyncClient client;
    /** The clock JWT expiry is checked against: the real time, moved on by a test when it needs a token to expire. */
    private static final OffsetClock jwtClock = new OffsetClock();

    @BeforeAll
    static void start() throws Exception {
        long started = System.nanoTime();
        kafka = EmbeddedKafkaCluster.builder().start();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        topics = TopicNames.fromMap(Map.of(
                TopicNames.BACKEND_REQUESTS, "mcp-requests-" + suffix,
                TopicNames.BACKEND_RESPONSES, "mcp-responses-" + suffix,
                TopicNames.WORKER_DEAD_LETTERS, "mcp-requests-dlq-" + suffix,
                TopicNames.AUDIT, "mcp-audit-" + suffix));
        kafka.createTopics(2, topics.backendRequests(), topics.backendResponses(), topics.workerDeadLetters(), topics.audit());
        String connectors = """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    retry: {maxAttempts: 1}
                    operations:
                      getOrder: {path: "/orders/{orderId}", query: {customer: "{customerId}"}}
                """.formatted(shop.baseUrl());
        Files.writeString(directory.resolve("connectors.yaml"), connectors);
        Files.writeString(directory.resolve("mcp-secrets.properties"), "alice=" + TOKEN + "\njwt="
                + new String(JwtCallersTest.SECRET, StandardCharsets.UTF_8) + "\naudit=" + AUDIT_KEY + "\n");
        worker = ConnectorWorker.start(WorkerConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .schemaRegistry(REGISTRY)
                .topics(topics)
                .groupId("mcp-it-worker-" + suffix)
                .mode(WorkerMode.CLASSIC)
                .adminPort(0)
                .shutdownTimeout(Duration.ofSeconds(2))
                .connectorYaml("connectors.yaml", connectors)
                .build());
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            McpSettings settings = McpSettings.from(YamlFiles.parse("mcp.yaml", """
                    port: 0
                    kafka: {bootstrap.servers: "%s"}
                    schemaRegistry: {schema.registry.url: "mock://mcp-it"}
                    topics: {backendRequests: %s, backendResponses: %s, audit: %5$s}
                    connectorFiles: [connectors.yaml]
                    callTimeout: 20s
                    callers:
                      - {user: agent-alice, token: "${file:%4$s:alice}"}
                    jwt:
                      algorithm: HS256
                      secret: "${file:%4$s:jwt}"
                      audience: parley-mcp
                      issuer: https://id.example
                      userClaim: sub
                    audit:
                      pseudonymizeUsers: true
                      pseudonymKey: "${file:%4$s:audit}"
                    tools:
                      - name: get_order
                        connector: shop-api
                        operation: getOrder
                        description: The status of one order of a customer.
                    """.formatted(kafka.bootstrapServers(), topics.backendRequests(), topics.backendResponses(),
                    directory.resolve("mcp-secrets.properties"), topics.audit())), directory, variables, jwtClock);
            server = McpToolServer.start(settings, Clock.systemUTC());
        }
        long serving = System.nanoTime();
        client = client(TOKEN);
        client.initialize();
        System.out.printf("broker, worker and MCP server up in %d ms; initialize took %d ms%n",
                (serving - started) / 1_000_000, (System.nanoTime() - serving) / 1_000_000);
    }

    private static McpSyncClient client(String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.closeGracefully();
        }
        if (server != null) {
            server.close();
        }
        if (worker != null) {
            worker.close();
        }
        kafka.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void toolsListOffersTheOperationWithItsDeclaredParametersAsJsonSchema() {
        List<Tool> tools = client.listTools().tools();

        assertThat(tools).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("get_order");
            assertThat(tool.description()).isEqualTo("The status of one order of a customer.");
            Map<String, Object> schema = tool.inputSchema();
            assertThat(schema).containsEntry("type", "object").containsEntry("additionalProperties", false);
            assertThat((Map<Object, Object>) schema.get("properties")).containsOnlyKeys("orderId", "customerId")
                    .containsEntry("orderId", Map.of("type", "string"));
            assertThat((List<Object>) schema.get("required")).containsExactlyInAnyOrder("orderId", "customerId");
        });
    }

    @Test
    void aToolCallIsABackendRequestThroughKafkaForTheCallersUserAndReturnsTheResult() {
        // Given the shop knows order 1001
        shop.stubFor(get(urlPathEqualTo("/orders/1001")).willReturn(okJson("{\"orderId\": \"1001\", \"status\": \"SHIPPED\"}")));

        // When the agent calls the tool
        CallToolResult result = client.callTool(new CallToolRequest("get_order", Map.of("orderId", "1001", "customerId", "c-7")));

        // Then the worker called the shop and the answer is the tool's result
        assertThat(result.isError()).isFalse();
        assertThat(text(result)).isEqualTo("{\"orderId\":\"1001\",\"status\":\"SHIPPED\"}");
        assertThat(result.structuredContent()).isEqualTo(Map.of("orderId", "1001", "status", "SHIPPED"));
        shop.verify(getRequestedFor(urlPathEqualTo("/orders/1001")));
        // And the request on the topic was made for the caller's user, with the arguments as parameters
        assertThat(requests()).anySatisfy(request -> {
            assertThat(request.getUserId()).isEqualTo("agent-alice");
            assertThat(request.getConnector()).isEqualTo("shop-api");
            assertThat(request.getOperation()).isEqualTo("getOrder");
            assertThat(request.getParams()).isEqualTo(Map.of("orderId", "1001", "customerId", "c-7"));
        });
    }

    @Test
    void aBackendFailureIsAToolErrorNamingTheStatus() {
        shop.stubFor(get(urlPathEqualTo("/orders/404")).willReturn(aResponse().withStatus(404)));

        CallToolResult result = client.callTool(new CallToolRequest("get_order", Map.of("orderId", "404", "customerId", "c-7")));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).startsWith("NOT_FOUND");
    }

    @Test
    void anUnknownToolIsRefused() {
        Object refused = call("drop_tables", Map.of());

        assertThat(refused).as("an unknown tool").isNotInstanceOf(CallToolResult.class);
        assertThat(refused.toString()).contains("drop_tables");
    }

    @Test
    void anUnknownToolIsAuditedAsRefusedWithTheCallerAndTheArgumentNamesOnly() {
        // Given a tool name nobody offers, and an argument holding an e-mail address
        String tool = "drop_tables_" + uniqueLetters();

        // When alice's agent calls it
        Object refused = call(tool, Map.of("reason", "jane.doe@example.com"));

        // Then the SDK's own error answers it
        assertThat(refused).isInstanceOf(McpError.class);
        assertThat(((McpError) refused).getJsonRpcError().code()).isEqualTo(-32602);
        // And exactly one TOOL_CALL record says so, for alice's pseudonym, with the argument's name but not its value
        String alice = UserReferences.pseudonymised(Secret.of(AUDIT_KEY)).of("agent-alice");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(audit())
                .filteredOn(event -> tool.equals(event.getAttributes().get("tool")))
                .singleElement().satisfies(event -> {
                    assertThat(event.getKind()).isEqualTo(AuditKind.TOOL_CALL);
                    assertThat(event.getStatus()).isEqualTo("REFUSED");
                    assertThat(event.getAttributes()).containsEntry("refusal", "UNKNOWN_TOOL")
                            .containsEntry("reason", "no tool has this name").containsEntry("arguments", "reason")
                            .containsEntry("authenticatedBy", "token");
                    assertThat(event.getUserRef()).isEqualTo(alice);
                    assertThat(event.getText()).isNull();
                    assertThat(event.toString()).doesNotContain("jane.doe");
                }));
    }

    @Test
    void argumentsOutsideTheSchemaAreAuditedAsRefusedWithTheirNamesOnly() {
        // Given an argument the tool does not declare, named uniquely for this test, holding an e-mail address
        String extra = "note_" + uniqueLetters();

        // When alice's agent calls the tool with it
        Object refused = call(Map.of("orderId", "1001", "customerId", "c-7", extra, "jane.doe@example.com"));

        // Then the SDK's own validation error answers it
        assertThat(refused).asString().startsWith("tool error: ").contains("validation failed");
        // And exactly one TOOL_CALL record says so, naming the tool and the arguments but holding no value
        String alice = UserReferences.pseudonymised(Secret.of(AUDIT_KEY)).of("agent-alice");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(audit())
                .filteredOn(event -> String.valueOf(event.getAttributes().get("arguments")).contains(extra))
                .singleElement().satisfies(event -> {
                    assertThat(event.getStatus()).isEqualTo("REFUSED");
                    assertThat(event.getAttributes()).containsEntry("refusal", "INVALID_ARGUMENTS").containsEntry("tool", "get_order")
                            .containsEntry("arguments", "customerId," + extra + ",orderId");
                    assertThat(event.getConnector()).isEqualTo("shop-api");
                    assertThat(event.getOperation()).isEqualTo("getOrder");
                    assertThat(event.getUserRef()).isEqualTo(alice);
                    assertThat(event.getText()).isNull();
                    assertThat(event.toString()).doesNotContain("jane.doe").doesNotContain("1001");
                }));
        assertThat(requests()).noneSatisfy(request -> assertThat(request.getParams()).containsKey(extra));
    }

    @Test
    void aCallWhoseTokenExpiredSinceItInitialisedIsRefusedAndAuditedWithoutAUser() {
        // Given bob's agent initialised with a token valid for five minutes
        String token = jwt(claims("agent-bob", Instant.now().plusSeconds(300)), JwtCallersTest.SECRET);
        Object refused;
        try (McpSyncClient bob = client(token)) {
            bob.initialize();
            // When it calls a tool after the token expired
            jwtClock.offset(Duration.ofMinutes(10));
            refused = catchThrowable(() -> bob.callTool(new CallToolRequest("get_order", Map.of("orderId", "5005", "customerId", "jane.doe@example.com"))));
        } finally {
            jwtClock.offset(Duration.ZERO);
        }

        // Then the call fails (401) and nothing is sent to the worker
        assertThat(refused).isNotNull();
        assertThat(requests()).noneSatisfy(request -> assertThat(request.getParams()).containsEntry("orderId", "5005"));
        // And one TOOL_CALL record says why, with no user (the token no longer proves one) and no argument value
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(audit())
                .filteredOn(event -> "UNAUTHENTICATED".equals(event.getAttributes().get("refusal")))
                .singleElement().satisfies(event -> {
                    assertThat(event.getStatus()).isEqualTo("REFUSED");
                    assertThat(event.getAttributes()).containsEntry("reason", "JWT expired").containsEntry("tool", "get_order")
                            .containsEntry("arguments", "customerId,orderId").doesNotContainKey("authenticatedBy");
                    assertThat(event.getUserRef()).isEmpty();
                    assertThat(event.toString()).doesNotContain("jane.doe").doesNotContain("5005").doesNotContain("agent-bob");
                }));
    }

    @Test
    void argumentsOutsideTheSchemaAreRefusedAndNeverChooseTheUser() {
        // A user given as an argument is not a parameter of the tool: refused, not passed on
        Object withUser = call(Map.of("orderId", "1001", "customerId", "c-7", "userId", "admin"));
        Object missing = call(Map.of("orderId", "1001"));
        Object number = call(Map.of("orderId", 1001, "customerId", "c-7"));

        assertThat(withUser).as("an extra userId argument").isNotInstanceOf(CallToolResult.class);
        assertThat(missing).as("a missing argument").isNotInstanceOf(CallToolResult.class);
        assertThat(number).as("a number where the schema says string").isNotInstanceOf(CallToolResult.class);
        assertThat(requests()).noneSatisfy(request -> assertThat(request.getUserId()).isEqualTo("admin"));
    }

    /**
     * Eight random letters, to name something uniquely in the audit: a hex suffix of seven digits or more would read as
     * a phone number there and be masked (about one run in twelve).
     */
    private static String uniqueLetters() {
        StringBuilder letters = new StringBuilder();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        return letters.toString();
    }

    /** The result of a call, or what it threw when the server refused it. */
    private static Object call(Map<String, Object> arguments) {
        return call("get_order", arguments);
    }

    private static Object call(String tool, Map<String, Object> arguments) {
        try {
            CallToolResult result = client.callTool(new CallToolRequest(tool, arguments));
            return Boolean.TRUE.equals(result.isError()) ? "tool error: " + text(result) : result;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void aCallerWithoutAKnownTokenIsRefused() {
        try (McpSyncClient stranger = client("not-a-token")) {
            assertThat(catchThrowable(stranger::initialize)).isNotNull();
        }
    }

    /** The real time plus an offset a test sets. */
    private static final class OffsetClock extends Clock {

        private volatile Duration offset = Duration.ZERO;

        void offset(Duration offset) {
            this.offset = offset;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    private static String text(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }

    private static List<BackendRequest> requests() {
        return read(Topics.create(topics, REGISTRY).backendRequests());
    }

    private static List<AuditEvent> audit() {
        return read(Topics.create(topics, REGISTRY).audit());
    }

    /**
     * Every record of the topic so far. The partitions are assigned, not subscribed to: a consumer group joined
     * on each read could take most of a read's time on a loaded machine and return before it had fetched them all.
     */
    private static <V> List<V> read(Topic<String, V> topic) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<V> read = new ArrayList<>();
            long until = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < until && partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(300)).forEach(record -> read.add(record.value()));
            }
            return read;
        }
    }

    private static String jwt(JWTClaimsSet.Builder claims, byte[] secret) {
        try {
            return JwtCallersTest.hs256Token(claims.build(), secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder claims(String user, Instant expiry) {
        return JwtCallersTest.claims(user, expiry);
    }

    @Test
    void aCallerWithAVerifiedJwtCallsAsTheUserItsTokenNames() {
        // Given bob's identity provider signed him a token for this server
        shop.stubFor(get(urlPathEqualTo("/orders/2002")).willReturn(okJson("{\"orderId\": \"2002\", \"status\": \"PACKED\"}")));
        String token = jwt(claims("agent-bob", Instant.now().plusSeconds(300)), JwtCallersTest.SECRET);

        // When bob's agent calls the tool with the SDK's client, sending the token as its bearer token
        CallToolResult result;
        try (McpSyncClient bob = client(token)) {
            bob.initialize();
            result = bob.callTool(new CallToolRequest("get_order", Map.of("orderId", "2002", "customerId", "c-9")));
        }

        // Then the call went through, and its backend request carries the verified user
        assertThat(result.isError()).isFalse();
        assertThat(requests()).anySatisfy(request -> {
            assertThat(request.getUserId()).isEqualTo("agent-bob");
            assertThat(request.getParams()).containsEntry("orderId", "2002");
        });
    }

    @Test
    void expiredForgedAndForeignJwtsAreRefused() {
        String expired = jwt(claims("agent-bob", Instant.now().minusSeconds(300)), JwtCallersTest.SECRET);
        String forged = jwt(claims("agent-bob", Instant.now().plusSeconds(300)),
                "a-forger-s-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8));
        String otherAudience = jwt(claims("agent-bob", Instant.now().plusSeconds(300)).audience("billing"), JwtCallersTest.SECRET);
        String unsigned = new PlainJWT(claims("agent-bob", Instant.now().plusSeconds(300)).build()).serialize();

        for (String token : List.of(expired, forged, otherAudience, unsigned)) {
            try (McpSyncClient refused = client(token)) {
                assertThat(catchThrowable(refused::initialize)).as("initialize with a refused token").isNotNull();
            }
        }
    }

    @Test
    void everyToolCallWritesAnAuditRecordWithThePseudonymAndTheArgumentsRedacted() {
        // Given the shop knows order 3003 but not 3004
        shop.stubFor(get(urlPathEqualTo("/orders/3003")).willReturn(okJson("{\"orderId\": \"3003\"}")));
        shop.stubFor(get(urlPathEqualTo("/orders/3004")).willReturn(aResponse().withStatus(404)));

        // When alice's agent calls the tool twice, with an e-mail address as an argument
        client.callTool(new CallToolRequest("get_order", Map.of("orderId", "3003", "customerId", "jane.doe@example.com")));
        client.callTool(new CallToolRequest("get_order", Map.of("orderId", "3004", "customerId", "c-7")));

        // Then both calls are on the audit stream, as TOOL_CALL records with outcome and latency
        String alice = UserReferences.pseudonymised(Secret.of(AUDIT_KEY)).of("agent-alice");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<AuditEvent> records = audit();
            assertThat(records).anySatisfy(event -> {
                assertThat(event.getKind()).isEqualTo(AuditKind.TOOL_CALL);
                assertThat(event.getText()).contains("3003").contains("[email]").doesNotContain("jane.doe");
                assertThat(event.getUserRef()).isEqualTo(alice).isNotEqualTo("agent-alice");
                assertThat(event.getStatus()).isEqualTo("OK");
                assertThat(event.getLatencyMs()).isNotNull().isGreaterThanOrEqualTo(0L);
                assertThat(event.getConnector()).isEqualTo("shop-api");
                assertThat(event.getOperation()).isEqualTo("getOrder");
                assertThat(event.getChannel()).isEqualTo("mcp");
                assertThat(event.getAttributes()).containsEntry("tool", "get_order").containsEntry("authenticatedBy", "token");
            });
            assertThat(records).anySatisfy(event -> {
                assertThat(event.getKind()).isEqualTo(AuditKind.TOOL_CALL);
                assertThat(event.getText()).contains("3004");
                assertThat(event.getStatus()).isEqualTo("NOT_FOUND");
            });
            // And no record holds the address in clear
            assertThat(records).noneSatisfy(event -> assertThat(event.toString()).contains("jane.doe@example.com"));
        });
    }
}
