package io.parley.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.parley.gateway.Gateway;
import io.parley.gateway.GatewayConfig;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.kafka.embedded.SaslSslListener;
import io.parley.processor.ParleyProcessor;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import io.parley.worker.ConnectorWorker;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor, the worker and the gateway against a broker that requires SASL/SCRAM-SHA-512 over TLS and
 * authorizes every request (StandardAuthorizer, nothing allowed without an ACL). Each component
 * logs in as its own principal and is granted exactly the ACLs docs/trust.md lists for it; a turn
 * goes through end to end. A principal without those ACLs is refused, and says so.
 */
class SecuredKafkaIT {

    private static final String PASSWORD = "changeit-" + UUID.randomUUID();
    private static final String PROCESSOR_APP = "parley-secured";
    private static final String WORKER_GROUP = "parley-worker-secured";
    private static final TopicNames NAMES = TopicNames.defaults();
    private static final String CRM_TOKEN = "crm-bearer-token-of-at-least-32-characters";

    @TempDir
    static Path directory;

    private static EmbeddedKafkaCluster kafka;
    private static WireMockServer shop;
    private static Path trustStore;
    private static String registry;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        Certificates certificates = Certificates.forLocalhost(directory, PASSWORD);
        trustStore = certificates.trustStore();
        kafka = EmbeddedKafkaCluster.builder().saslSslListener(new SaslSslListener(certificates.keyStore(), PASSWORD)).start();
        kafka.createTopics(2, NAMES.chatEvents(), NAMES.backendRequests(), NAMES.backendResponses(), NAMES.notifications(),
                NAMES.audit(), NAMES.defaultReplies());
        kafka.createTopics(1, NAMES.deadLetters(), NAMES.workerDeadLetters());
        registry = "mock://secured-" + UUID.randomUUID();
        shop = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        shop.start();
        shop.stubFor(get(urlPathEqualTo("/inventory/MUG-01")).willReturn(okJson("{\"quantity\": 12}")));
        shop.stubFor(get(urlPathEqualTo("/stores/main/hours")).willReturn(okJson("{\"opens\": \"09:00\"}")));
        try (Admin operator = kafka.admin()) {
            for (String user : List.of("parley-processor", "parley-worker", "web-channel", "parley-gateway", "intruder")) {
                operator.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password(user)))).all().get(30, TimeUnit.SECONDS);
            }
            operator.createAcls(processorAcls("User:parley-processor", PROCESSOR_APP)).all().get(30, TimeUnit.SECONDS);
            operator.createAcls(workerAcls("User:parley-worker", WORKER_GROUP)).all().get(30, TimeUnit.SECONDS);
            operator.createAcls(channelAcls("User:web-channel")).all().get(30, TimeUnit.SECONDS);
            operator.createAcls(gatewayAcls("User:parley-gateway")).all().get(30, TimeUnit.SECONDS);
        }
        shop.stubFor(post(urlPathEqualTo("/crm/replies")).willReturn(aResponse().withStatus(200)));
        shop.stubFor(post(urlPathEqualTo("/flaky/replies")).willReturn(aResponse().withStatus(500)));
    }

    @AfterEach
    void stopComponents() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (shop != null) {
            shop.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aTurnGoesThroughWithEachComponentLimitedToItsOwnTopicsAndGroups() throws Exception {
        // Given the processor and the worker, each logged in as itself over SASL_SSL
        startProcessor("parley-processor", PROCESSOR_APP);
        startWorker("parley-worker");
        Topics topics = Topics.create(NAMES, Map.of("schema.registry.url", registry));

        // When the channel sends a question
        String conversation = "secure-" + UUID.randomUUID();
        try (KafkaProducer<String, ChatEvent> channel = new KafkaProducer<>(client("web-channel"),
                topics.chatEvents().keySerde().serializer(), topics.chatEvents().valueSerde().serializer());
             KafkaConsumer<String, ChatReply> replies = new KafkaConsumer<>(client("web-channel"),
                     topics.defaultReplies().keySerde().deserializer(), topics.defaultReplies().valueSerde().deserializer())) {
            channel.send(new ProducerRecord<>(NAMES.chatEvents(), conversation, question(conversation))).get(30, TimeUnit.SECONDS);

            // Then the answer comes back, through both components' own ACLs
            List<TopicPartition> partitions = replies.partitionsFor(NAMES.defaultReplies()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            replies.assign(partitions);
            replies.seekToBeginning(partitions);
            List<ConsumerRecord<String, ChatReply>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                replies.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(r -> r.key().equals(conversation) && r.value().getKind() == ReplyKind.ANSWER);
            });
            assertThat(seen).filteredOn(r -> r.key().equals(conversation) && r.value().getKind() == ReplyKind.ANSWER)
                    .first().satisfies(r -> assertThat(r.value().getText()).isEqualTo("12 left; open from 09:00."));
        }
    }

    @Test
    void theGatewayAsItsOwnPrincipalCarriesAWebhookTurnAndAuditsAnUndeliverableReply() throws Exception {
        // Given the processor, the worker and the gateway, each logged in as itself with only its ACLs
        startProcessor("parley-processor", PROCESSOR_APP);
        startWorker("parley-worker");
        Gateway gateway = startGateway("parley-gateway");
        HttpClient http = HttpClient.newHttpClient();

        // When a backend asks through the gateway's webhook channel
        String conversation = "c-" + UUID.randomUUID();
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(gateway.uri().resolve("/channels/crm/messages"))
                .header("Authorization", "Bearer " + CRM_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"conversationId\":\"" + conversation
                        + "\",\"userId\":\"alice\",\"text\":\"is mug-01 in stock\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        // Then the event is produced under the gateway's ACLs, and the answer is called back, read in its group
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(shop.findAll(postRequestedFor(
                urlPathEqualTo("/crm/replies")))).anySatisfy(call -> assertThat(call.getBodyAsString())
                .contains("\"conversationId\":\"" + conversation + "\"").contains("12 left; open from 09:00.")));

        // When the answer to another channel cannot be delivered (its receiver answers 500)
        String flaky = "f-" + UUID.randomUUID();
        assertThat(http.send(HttpRequest.newBuilder(gateway.uri().resolve("/channels/flaky/messages"))
                .header("Authorization", "Bearer " + CRM_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"conversationId\":\"" + flaky
                        + "\",\"userId\":\"alice\",\"text\":\"is mug-01 in stock\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);

        // Then the gateway writes its UNDELIVERABLE audit record (and the dead letter) under its own ACLs
        Topics topics = Topics.create(NAMES, Map.of("schema.registry.url", registry));
        try (KafkaConsumer<String, AuditEvent> audit = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "secured-audit-check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topics.audit().keySerde().deserializer(), topics.audit().valueSerde().deserializer())) {
            audit.subscribe(List.of(NAMES.audit()));
            List<AuditEvent> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                audit.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return seen.stream().anyMatch(e -> e.getKind() == AuditKind.UNDELIVERABLE
                        && ("flaky:" + flaky).equals(e.getConversationId()));
            });
        }
    }

    @Test
    void aPrincipalWithoutTheAclsIsRefusedAndTheProcessorSaysSo() throws Exception {
        // Given a principal that authenticates but has no ACL
        Topics topics = Topics.create(NAMES, Map.of("schema.registry.url", registry));

        // When it tries to read the chat events, Then the broker refuses it
        try (KafkaConsumer<String, ChatEvent> snooper = new KafkaConsumer<>(client("intruder"),
                topics.chatEvents().keySerde().deserializer(), topics.chatEvents().valueSerde().deserializer())) {
            snooper.assign(List.of(new TopicPartition(NAMES.chatEvents(), 0)));
            snooper.seekToBeginning(List.of(new TopicPartition(NAMES.chatEvents(), 0)));
            assertThatThrownBy(() -> snooper.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(NAMES.chatEvents());
        }

        // and a processor running as that principal does not start, naming what it is not allowed to do
        assertThatThrownBy(() -> startProcessor("intruder", "parley-intruder"))
                .hasMessageContaining("not authorized to describe the topics [chat.events, backend.responses]")
                .hasMessageContaining("docs/trust.md");
    }

    private void startProcessor(String user, String applicationId) throws Exception {
        Map<String, String> kafkaSettings = new HashMap<>(client(user).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()))));
        kafkaSettings.put("application.id", applicationId);
        kafkaSettings.put("state.dir", Files.createDirectories(directory.resolve("state-" + applicationId)).toString());
        kafkaSettings.put("commit.interval.ms", "100");
        ParleyProcessor processor = ParleyProcessor.start(ProcessorConfig.builder()
                .kafka(kafkaSettings)
                .schemaRegistry("schema.registry.url", registry)
                .flows(List.of(FlowSource.classpath("flows/traced-stock.yaml")))
                .adminPort(0)
                .build());
        running.add(processor);
        assertThat(processor.awaitRunning(Duration.ofSeconds(60))).as("processor running").isTrue();
    }

    private void startWorker(String user) {
        Map<String, String> kafkaSettings = new HashMap<>();
        client(user).forEach((key, value) -> kafkaSettings.put(key, String.valueOf(value)));
        ConnectorWorker worker = ConnectorWorker.start(WorkerConfig.builder()
                .kafka(kafkaSettings)
                .schemaRegistry(Map.of("schema.registry.url", registry))
                .mode(WorkerMode.CLASSIC)
                .groupId(WORKER_GROUP)
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
                .build());
        running.add(worker);
    }

    private Gateway startGateway(String user) {
        StringBuilder kafkaSection = new StringBuilder();
        client(user).forEach((key, value) -> kafkaSection.append("  ").append(key).append(": '")
                .append(String.valueOf(value).replace("'", "''")).append("'\n"));
        Gateway gateway = Gateway.start(GatewayConfig.parse("gateway.yaml", """
                http: {host: 127.0.0.1, port: 0}
                kafka:
                %s
                schemaRegistry: {schema.registry.url: "%s"}
                replyTopic: %s
                tokens: {audience: parley-web, hs256Secret: "secured-it-secret-of-at-least-32-bytes"}
                conversationKey: "conversation-key-of-at-least-32-bytes"
                admin: {port: 0}
                channels:
                  - name: crm
                    bearerToken: "%s"
                    replyTopic: %s
                    callbackUrl: "%s/crm/replies"
                  - name: flaky
                    bearerToken: "%s"
                    replyTopic: %s
                    callbackUrl: "%s/flaky/replies"
                    maxAttempts: 1
                """.formatted(kafkaSection.toString().stripTrailing(), registry, NAMES.defaultReplies(), CRM_TOKEN,
                NAMES.defaultReplies(), shop.baseUrl(), CRM_TOKEN, NAMES.defaultReplies(), shop.baseUrl())), Clock.systemUTC());
        running.add(gateway);
        return gateway;
    }

    /** What every Parley component and channel puts in its {@code kafka:} section to log in as {@code user}. */
    private static Map<String, Object> client(String user) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", kafka.secureBootstrapServers());
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", SaslSslListener.MECHANISM);
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password(user) + "\";");
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", trustStore.toString());
        settings.put("ssl.truststore.password", PASSWORD);
        return settings;
    }

    private static String password(String user) {
        return user + "-" + PASSWORD;
    }

    private static ChatEvent question(String conversation) {
        return ChatEvent.newBuilder().setEventId("evt-" + UUID.randomUUID()).setConversationId(conversation).setUserId("alice")
                .setChannel("web").setType(ChatEventType.MESSAGE).setText("is mug-01 in stock").setPayload(Map.of())
                .setLocale("en-GB").setOccurredAt(Instant.now()).build();
    }

    /** The processor's ACLs (docs/trust.md): its topics, its application's internal topics, group and transactional ids. */
    static List<AclBinding> processorAcls(String principal, String applicationId) {
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : List.of(NAMES.chatEvents(), NAMES.backendResponses(), NAMES.notifications())) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        }
        for (String topic : List.of(NAMES.backendRequests(), NAMES.audit(), NAMES.deadLetters(), NAMES.defaultReplies())) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
        }
        // Reply topics per channel (chat.replies.web, ...)
        acls.add(allow(principal, ResourceType.TOPIC, NAMES.defaultReplies() + ".", PatternType.PREFIXED, AclOperation.WRITE));
        for (String topic : List.of(NAMES.chatEvents(), NAMES.backendResponses(), NAMES.notifications(), NAMES.backendRequests(),
                NAMES.audit(), NAMES.deadLetters(), NAMES.defaultReplies())) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
        }
        // Changelog and repartition topics: <application.id>-...
        acls.add(allow(principal, ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(principal, ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED, AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED, AclOperation.DESCRIBE));
        // The start check of record limits reads the broker's message.max.bytes
        acls.add(allow(principal, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
        return acls;
    }

    /** The worker's ACLs (docs/trust.md). */
    static List<AclBinding> workerAcls(String principal, String groupId) {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(principal, ResourceType.TOPIC, NAMES.backendRequests(), PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TOPIC, NAMES.backendResponses(), PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.TOPIC, NAMES.workerDeadLetters(), PatternType.LITERAL, AclOperation.WRITE));
        for (String topic : List.of(NAMES.backendRequests(), NAMES.backendResponses(), NAMES.workerDeadLetters())) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
        }
        acls.add(allow(principal, ResourceType.GROUP, groupId, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.GROUP, groupId, PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
        return acls;
    }

    /** A channel's ACLs: it writes chat events and reads its reply topic. */
    static List<AclBinding> channelAcls(String principal) {
        return List.of(
                allow(principal, ResourceType.TOPIC, NAMES.chatEvents(), PatternType.LITERAL, AclOperation.WRITE),
                allow(principal, ResourceType.TOPIC, NAMES.defaultReplies(), PatternType.LITERAL, AclOperation.READ));
    }

    /**
     * The gateway's ACLs (docs/trust.md): it writes chat events, reads its reply topics (the web chat's without a
     * group, the webhook channels' in the groups {@code parley-gateway-channel-<name>}) and writes the dead letters
     * and audit records of replies it cannot deliver.
     */
    static List<AclBinding> gatewayAcls(String principal) {
        return List.of(
                allow(principal, ResourceType.TOPIC, NAMES.chatEvents(), PatternType.LITERAL, AclOperation.WRITE),
                allow(principal, ResourceType.TOPIC, NAMES.defaultReplies(), PatternType.LITERAL, AclOperation.READ),
                allow(principal, ResourceType.GROUP, "parley-gateway-channel-", PatternType.PREFIXED, AclOperation.READ),
                allow(principal, ResourceType.TOPIC, NAMES.deadLetters(), PatternType.LITERAL, AclOperation.WRITE),
                allow(principal, ResourceType.TOPIC, NAMES.audit(), PatternType.LITERAL, AclOperation.WRITE));
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** A key store for the broker (a self-signed certificate for localhost) and a trust store holding it, made with keytool. */
    record Certificates(Path keyStore, Path trustStore) {

        static Certificates forLocalhost(Path directory, String password) throws IOException, InterruptedException {
            Path keyStore = directory.resolve("broker.p12");
            Path certificate = directory.resolve("broker.crt");
            Path trustStore = directory.resolve("clients-trust.p12");
            keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
            keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", password,
                    "-rfc", "-file", certificate.toString());
            keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                    "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", password);
            return new Certificates(keyStore, trustStore);
        }

        private static void keytool(String... arguments) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        }
    }
}
