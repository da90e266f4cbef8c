package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.parley.gateway.auth.DemoTokens;
import io.parley.kafka.embedded.KafkaClientVersion;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.topics.Topic;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball as an operator meets it: unpacked in an empty folder, the processor and a
 * worker started from bin/ with the shipped example configuration, both ready, a conversation turn
 * answered through them, and both stopping cleanly on SIGTERM.
 */
@TestMethodOrder(OrderAnnotation.class)
class DistributionIT {

    private static final Path TARBALL = Path.of(System.getProperty("parley.distribution.tarball", "target/parley.tar.gz"));

    @TempDir
    static Path directory;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ShopApiDouble shop;
    private static UnpackedParley parley;

    @BeforeAll
    static void unpackAndStart() throws Exception {
        shop = ShopApiDouble.start();
        parley = UnpackedParley.start(TARBALL, directory, shop.url());
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    @Order(1)
    void tarballHoldsLaunchersConfigurationLibrariesAndLicences() throws Exception {
        Path home = parley.home();

        assertThat(home.resolve("bin")).isDirectoryContaining(path -> Files.isExecutable(path) && path.endsWith("parley-processor"))
                .isDirectoryContaining(path -> Files.isExecutable(path) && path.endsWith("parley-worker"))
                .isDirectoryContaining(path -> Files.isExecutable(path) && path.endsWith("parley-analytics"))
                .isDirectoryContaining(path -> Files.isExecutable(path) && path.endsWith("parley-gateway"))
                .isDirectoryContaining(path -> Files.isExecutable(path) && path.endsWith("parley-mcp"))
                .isDirectoryContaining(path -> Files.isExecutable(path) && path.endsWith("parley"));
        assertThat(home.resolve("conf")).isDirectoryContaining("glob:**/processor.yaml").isDirectoryContaining("glob:**/worker.yaml")
                .isDirectoryContaining("glob:**/connectors.yaml").isDirectoryContaining("glob:**/logback.xml")
                .isDirectoryContaining("glob:**/analytics.yaml").isDirectoryContaining("glob:**/gateway.yaml")
                .isDirectoryContaining("glob:**/mcp.yaml");
        assertThat(home.resolve("README.txt")).content().doesNotContain("${project.version}");
        // Every bundled library is listed with the licence its POM declares.
        String thirdParty = Files.readString(home.resolve("licenses/THIRD-PARTY.txt"));
        assertThat(thirdParty).doesNotContain("UNKNOWN");
        java.util.Set<String> listed = new java.util.HashSet<>();
        thirdParty.lines().map(line -> line.split("\\s+")[0].split(":")).filter(parts -> parts.length == 3)
                .forEach(parts -> listed.add(parts[1] + "-" + parts[2] + ".jar"));
        try (var jars = Files.list(home.resolve("lib"))) {
            List<String> names = jars.map(jar -> jar.getFileName().toString()).toList();
            assertThat(names).hasSizeGreaterThan(50).noneMatch(name -> name.startsWith("junit-jupiter-engine"));
            // A jar with a classifier (kafka-clients-4.3.1-test.jar) is listed under its artifact and version.
            assertThat(names).filteredOn(name -> !name.startsWith("parley-")).allSatisfy(jar ->
                    assertThat(listed.contains(jar) || listed.stream().anyMatch(entry -> jar.startsWith(entry.replaceFirst("\\.jar$", "-"))))
                            .as("THIRD-PARTY.txt lists %s", jar).isTrue());
        }
        assertThat(home.resolve("licenses/texts/kafka-clients-" + kafkaVersion() + "-jar/LICENSE")).exists();
    }

    @Test
    @Order(2)
    void processorWorkerGatewayAndMcpServerStartFromTheScriptsAndBecomeReady() {
        parley.awaitReady(Duration.ofSeconds(120));

        assertThat(parley.processor().output()).contains("parley-processor: memory 768MiB = heap 308MiB + RocksDB 128MiB");
        assertThat(parley.worker().output()).contains("parley-worker: memory 768MiB = heap 436MiB");
        assertThat(parley.gateway().output()).contains("parley-gateway: memory 768MiB = heap 436MiB");
        assertThat(parley.mcp().output()).contains("parley-mcp: memory 768MiB = heap 436MiB");
    }

    @Test
    @Order(2)
    void theUnpackedMcpServerOffersTheExampleToolToACallerWithItsToken() {
        parley.awaitReady(Duration.ofSeconds(120));

        // Given an MCP client (the SDK's) with the token conf/mcp.yaml takes from PARLEY_MCP_TOKEN
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + parley.mcpPort())
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + UnpackedParley.MCP_TOKEN))
                .build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build()) {
            // When it connects and lists the tools, then it sees the example's tool
            client.initialize();
            assertThat(client.listTools().tools()).extracting(tool -> tool.name()).containsExactly("get_order");
        }
    }

    @Test
    @Order(3)
    void aTurnIsAnsweredThroughTheUnpackedServices() {
        parley.awaitReady(Duration.ofSeconds(120));
        Topics topics = Topics.create(TopicNames.defaults(), Map.of("schema.registry.url", parley.registryUrl()));
        Topic<String, ChatReply> replies = topics.replies(UnpackedParley.REPLY_TOPIC);
        String conversation = "c-" + UUID.randomUUID();
        List<ChatReply> received = new CopyOnWriteArrayList<>();

        // Given a user of the web channel, when they ask for an order (a call through the worker to the shop API)
        send(topics, conversation, "where is my order 1001");

        // Then the reply carries what the shop API answered
        try (KafkaConsumer<String, ChatReply> consumer = consumer(replies)) {
            consumer.subscribe(List.of(replies.name()));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> received.add(record.value()));
                assertThat(received).filteredOn(reply -> reply.getConversationId().equals(conversation))
                        .anySatisfy(reply -> assertThat(reply.getText()).contains("Order 1001 is SHIPPED"));
            });
        }
    }

    @Test
    @Order(3)
    void aWebChatTurnIsAnsweredThroughTheUnpackedGateway() throws Exception {
        parley.awaitReady(Duration.ofSeconds(120));
        List<JsonNode> frames = new CopyOnWriteArrayList<>();
        String token = new DemoTokens(UnpackedParley.GATEWAY_TOKEN_SECRET.getBytes(StandardCharsets.UTF_8), "parley-web", null,
                Clock.systemUTC()).sign("alice", Duration.ofMinutes(10));

        // Given alice in a browser, connected to the gateway started from bin/parley-gateway
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + parley.gatewayChatPort() + "/chat/ws"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                frames.add(JSON.readTree(partial.toString()));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            socket.sendText("{\"type\":\"hello\",\"token\":\"" + token + "\"}", true).get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> frames.stream().anyMatch(f -> f.path("type").asText().equals("ready")));

            // When she asks for her order
            socket.sendText("{\"type\":\"message\",\"text\":\"where is my order 1001\",\"clientId\":\"m1\"}", true)
                    .get(5, TimeUnit.SECONDS);

            // Then the answer of the shop API, through processor and worker, comes back on her socket
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(frames)
                    .filteredOn(f -> f.path("type").asText().equals("reply"))
                    .anySatisfy(f -> assertThat(f.path("text").asText()).contains("Order 1001 is SHIPPED")));
            assertThat(parley.gateway().metrics()).containsPattern("(?m)^parley_gateway_messages_total\\{[^}]*outcome=\"produced\"[^}]*\\} 1");
        } finally {
            socket.abort();
        }
    }

    @Test
    @Order(4)
    void everyMetricTheDashboardAndTheAlertsUseIsExported() throws Exception {
        parley.awaitReady(Duration.ofSeconds(120));
        Topics topics = Topics.create(TopicNames.defaults(), Map.of("schema.registry.url", parley.registryUrl()));
        Map<String, String> queries = new java.util.LinkedHashMap<>(MonitoringFiles.dashboardQueries());
        MonitoringFiles.alertExpressions().forEach((alert, expression) -> queries.put("alert " + alert, expression));
        assertThat(queries).hasSizeGreaterThan(20);
        assertThat(queries.values().stream().flatMap(query -> PromQl.metricNames(query).stream()).distinct()).hasSizeGreaterThan(20);

        // Given turns of every kind the dashboard shows: answered (order 1001, above), not found,
        // a backend failing with retries, a backend slower than the deadline (interim, timeout,
        // late answer), no intent matched, and unreadable records for both dead-letter topics
        send(topics, "c-" + UUID.randomUUID(), "where is my order 9999");
        send(topics, "c-" + UUID.randomUUID(), "where is my order 5005");
        send(topics, "c-" + UUID.randomUUID(), "where is my order 2002");
        send(topics, "c-" + UUID.randomUUID(), "xyzzy plugh");
        sendGarbage(topics.names().chatEvents());
        sendGarbage(topics.names().backendRequests());

        // Then every metric of every query is on a /metrics page (store metrics appear when the
        // processor's binder next looks for Kafka metrics, once a minute)
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            java.util.Set<String> exposed = new java.util.TreeSet<>(PromQl.exposedNames(parley.processor().metrics()));
            exposed.addAll(PromQl.exposedNames(parley.worker().metrics()));
            Map<String, java.util.Set<String>> missing = new java.util.TreeMap<>();
            queries.forEach((where, expression) -> {
                java.util.Set<String> names = new java.util.TreeSet<>(PromQl.metricNames(expression));
                names.removeAll(exposed);
                if (!names.isEmpty()) {
                    missing.put(where, names);
                }
            });
            assertThat(missing).as("metrics used by deploy/ but not exported").isEmpty();
        });
    }

    private static void sendGarbage(String topic) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, parley.kafka().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties,
                new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "c-garbage".getBytes(), new byte[] {0x7f, 0x01, 0x02}));
        }
    }

    @Test
    @Order(5)
    void aProcessorKilledBeforeItEverStoppedCleanlyRestartsWithTheClassArchiveItWroteWhileRunning() throws Exception {
        parley.awaitReady(Duration.ofSeconds(120));
        Path archives = parley.home().resolve("var/cds");

        // Given the processor has run a while (five seconds in this test, a minute by default): it wrote its class archive
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            String output = parley.processor().output();
            if (output.contains("Class data sharing: not writing") || output.contains("Class data sharing: writing")) {
                throw new AssertionError("the processor wrote no class archive while running:\n" + output);
            }
            return output.contains("Class data sharing: wrote " + archives.resolve("parley-processor-"));
        });
        assertThat(parley.processor().process().isAlive()).isTrue();
        assertThat(processorFiles(archives)).anyMatch(name -> name.endsWith(".jsa"));

        // When it is killed (kill -9) and started again by its launcher, the JVM told to fail rather than start without the archive
        parley.processor().process().destroyForcibly();
        assertThat(parley.processor().process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        String listing = list(archives);
        UnpackedParley.Service again = parley.startProcessorAgain(Map.of("PARLEY_JAVA_OPTS", "-Xshare:on"));
        again.awaitReady(Duration.ofSeconds(120));

        // Then it mapped that archive, and the first JVM left nothing else behind
        assertThat(again.output()).as("the restarted processor's output; var/cds held before the restart: %s, and now: %s",
                        listing, list(archives))
                .contains("parley-processor: class data sharing from " + archives.resolve("parley-processor-"));
        assertThat(processorFiles(archives)).singleElement().satisfies(name -> assertThat(name).endsWith(".jsa"));
    }

    /** The names of the processor's files in the archive folder. */
    private static List<String> processorFiles(Path archives) throws IOException {
        try (Stream<Path> files = Files.list(archives)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("parley-processor-")).toList();
        }
    }

    @Test
    @Order(6)
    void servicesStopCleanlyOnSigterm() throws Exception {
        parley.awaitReady(Duration.ofSeconds(120));

        parley.processor().process().destroy();
        parley.worker().process().destroy();
        parley.gateway().process().destroy();
        parley.mcp().process().destroy();

        assertThat(parley.processor().process().waitFor(60, TimeUnit.SECONDS)).as("processor stopped").isTrue();
        assertThat(parley.worker().process().waitFor(60, TimeUnit.SECONDS)).as("worker stopped").isTrue();
        assertThat(parley.gateway().process().waitFor(60, TimeUnit.SECONDS)).as("gateway stopped").isTrue();
        assertThat(parley.mcp().process().waitFor(60, TimeUnit.SECONDS)).as("MCP server stopped").isTrue();
        // 143: the JVM ended by SIGTERM after its shutdown hooks ran; 0: main returned first.
        assertThat(parley.processor().process().exitValue()).isIn(0, 143);
        assertThat(parley.worker().process().exitValue()).isIn(0, 143);
        assertThat(parley.gateway().process().exitValue()).isIn(0, 143);
        assertThat(parley.mcp().process().exitValue()).isIn(0, 143);
        assertThat(parley.processor().output()).doesNotContain(" ERROR ");
        assertThat(parley.worker().output()).doesNotContain(" ERROR ");
        assertThat(parley.gateway().output()).doesNotContain(" ERROR ");
        assertThat(parley.mcp().output()).doesNotContain(" ERROR ");
    }

    @Test
    @Order(7)
    void onJava25AProcessorTrainsAndItsNextStartAssemblesTheAotCacheAndRunsWithIt() throws Exception {
        Optional<Path> java25 = JavaHomes.atLeast(25);
        assumeTrue(java25.isPresent(), "no Java 25 or later under " + JavaHomes.FOLDER);
        Path archives = parley.home().resolve("var/cds");
        Map<String, String> onJava25 = Map.of("JAVA_HOME", java25.get().toString());

        // Given the processor started by its launcher on Java 25: it trains for an AOT cache
        UnpackedParley.Service training = parley.startProcessorAgain(onJava25, "parley-processor-java25.log");
        training.awaitReady(Duration.ofSeconds(120));
        assertThat(training.output()).contains("parley-processor: class data sharing: this run trains for the AOT cache, which the "
                + "start after its clean stop assembles (" + archives.resolve("parley-processor-"))
                // (the launchers allow RocksDB's native library: Java 24 and later warn without, and will refuse it)
                .doesNotContain("A restricted method");

        // When it stops cleanly (SIGTERM), its JVM writing the training at its exit
        stopCleanly(training);

        // Then the next start assembles the cache before the processor's JVM starts, and that JVM maps it (told to fail
        // rather than start without it)
        String listing = list(archives);
        Map<String, String> mapping = new HashMap<>(onJava25);
        mapping.put("PARLEY_JAVA_OPTS", "-XX:AOTMode=on");
        UnpackedParley.Service again = parley.startProcessorAgain(mapping, "parley-processor-java25-again.log");
        again.awaitReady(Duration.ofSeconds(120));
        assertThat(again.output()).as("the second Java 25 start's output; var/cds held before it: %s", listing)
                .contains("the training of the last clean stop is in place (" + archives.resolve("parley-processor-"))
                .contains("parley-processor: class data sharing: assembling the AOT cache from the training of the last clean stop (")
                .contains("parley-processor: class data sharing from the AOT cache " + archives.resolve("parley-processor-"));
        // and the Java 17 archive is gone with the training: one file, the cache
        assertThat(processorFiles(archives)).singleElement().satisfies(name -> assertThat(name).endsWith(".aot"));
    }

    /** SIGTERM, and the processor's exit within two minutes. */
    private static void stopCleanly(UnpackedParley.Service processor) throws InterruptedException {
        processor.process().destroy();
        assertThat(processor.process().waitFor(120, TimeUnit.SECONDS)).as("the processor stopped").isTrue();
        assertThat(processor.process().exitValue()).as(processor.output()).isIn(0, 143);
    }

    /** The files of a folder with their sizes, for a failure message. */
    private static String list(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.sorted().map(file -> file.getFileName() + " (" + file.toFile().length() + " bytes)").toList().toString();
        }
    }

    private static void send(Topics topics, String conversation, String text) {
        Topic<String, ChatEvent> events = topics.chatEvents();
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, parley.kafka().bootstrapServers());
        try (KafkaProducer<String, ChatEvent> producer = new KafkaProducer<>(properties, events.keySerde().serializer(),
                events.valueSerde().serializer())) {
            ChatEvent event = ChatEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setConversationId(conversation)
                    .setUserId("alice").setChannel("web").setType(ChatEventType.MESSAGE).setText(text)
                    .setOccurredAt(Instant.now()).build();
            producer.send(new ProducerRecord<>(events.name(), conversation, event));
        }
    }

    private static <V> KafkaConsumer<String, V> consumer(Topic<String, V> topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, parley.kafka().bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "distribution-it-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(properties, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private static String kafkaVersion() {
        return KafkaClientVersion.current();
    }
}
