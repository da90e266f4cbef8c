package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley-worker --config worker.yaml} run as its own process, stopped the way operators and
 * crashes stop it: SIGTERM (clean shutdown) and SIGKILL (death). Its in-flight requests must
 * still all be answered, by another worker of the share group.
 */
class WorkerProcessIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    private static EmbeddedKafkaCluster kafka;
    private static EmbeddedSchemaRegistry registry;

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private Process process;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.builder().brokerProperty("group.share.min.record.lock.duration.ms", 1_000).start();
        registry = EmbeddedSchemaRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
        kafka.close();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    /** Topics, a share group starting at the earliest offset with the given record lock duration, and three requests. */
    private Scenario scenario(String group, Duration lock) throws Exception {
        KafkaTopicsSupport topics = new KafkaTopicsSupport(kafka, 1);
        resources.add(topics);
        kafka.startShareGroupAtEarliest(group);
        try (Admin admin = kafka.admin()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("share.record.lock.duration.ms", String.valueOf(lock.toMillis())), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
        Topics registryTopics = Topics.create(topics.names, Map.of("schema.registry.url", registry.url()));
        List<String> requestIds = new ArrayList<>();
        try (KafkaProducer<String, BackendRequest> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                registryTopics.backendRequests().keySerde().serializer(), registryTopics.backendRequests().valueSerde().serializer())) {
            for (int i = 0; i < 3; i++) {
                BackendRequest request = request("shop-api", "getOrder", Map.of("orderId", "p" + i), Instant.now().plusSeconds(120));
                requestIds.add(request.getRequestId());
                producer.send(new ProducerRecord<>(topics.names.backendRequests(), request.getConversationId(), request));
            }
        }
        return new Scenario(topics, registryTopics, group, requestIds);
    }

    private record Scenario(KafkaTopicsSupport topics, Topics registryTopics, String group, List<String> requestIds) {
    }

    /** Starts the worker process on a backend whose calls hang, and waits until it holds all three records. */
    private void startHungWorkerProcess(Scenario scenario) throws Exception {
        shop.stubFor(get(urlPathMatching("/hung/orders/.*")).willReturn(okJson("{\"status\": \"late\"}").withFixedDelay(60_000)));
        Files.writeString(dir.resolve("connectors.yaml"), connectors("/hung"));
        Files.writeString(dir.resolve("worker.yaml"), """
                kafka: {bootstrap.servers: "%s"}
                schemaRegistry: {schema.registry.url: "%s"}
                topics: {backendRequests: %s, backendResponses: %s, workerDeadLetters: %s}
                admin: {port: 0}
                connectorFiles: connectors.yaml
                groupId: %s
                concurrency: 4
                consumers: 1
                shutdownTimeout: 500ms
                """.formatted(kafka.bootstrapServers(), registry.url(), scenario.topics().names.backendRequests(),
                scenario.topics().names.backendResponses(), scenario.topics().names.workerDeadLetters(), scenario.group()));
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                "--config", dir.resolve("worker.yaml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                shop.findAll(getRequestedFor(urlPathMatching("/hung/orders/.*"))).size() == 3);
    }

    private String connectors(String basePath) {
        return """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s%s
                    allowPrivateNetworks: true
                    timeout: 90s
                    retry: {maxAttempts: 1}
                    operations:
                      getOrder: {path: "/orders/{orderId}"}
                """.formatted(shop.baseUrl(), basePath);
    }

    /** A healthy worker in this JVM, in the same group. */
    private void startHealthyWorker(Scenario scenario) {
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        ConnectorWorker worker = ConnectorWorker.start(WorkerConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .schemaRegistry(Map.of("schema.registry.url", registry.url()))
                .topics(scenario.topics().names)
                .groupId(scenario.group())
                .adminEnabled(false)
                .consumers(1)
                .connectorYaml("connectors.yaml", connectors(""))
                .build());
        resources.add(0, worker);
    }

    private Map<String, BackendResponse> awaitAnswers(Scenario scenario, Duration within) {
        Map<String, BackendResponse> answers = new LinkedHashMap<>();
        try (KafkaConsumer<String, BackendResponse> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + scenario.group(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                scenario.registryTopics().backendResponses().keySerde().deserializer(),
                scenario.registryTopics().backendResponses().valueSerde().deserializer())) {
            reader.subscribe(List.of(scenario.topics().names.backendResponses()));
            await().atMost(within).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(record -> answers.put(record.value().getRequestId(), record.value()));
                return answers.size() >= scenario.requestIds().size();
            });
        }
        return answers;
    }

    @Test
    void sigtermMakesTheWorkerReleaseItsInFlightRecordsToAnotherAndExit() throws Exception {
        // Given a worker process holding three records whose calls hang, and a lock long enough to tell release from expiry
        Scenario scenario = scenario("process-sigterm", Duration.ofSeconds(60));
        startHungWorkerProcess(scenario);
        startHealthyWorker(scenario);

        // When it receives SIGTERM
        process.destroy();

        // Then it exits promptly, and the healthy worker answers all three long before their locks would expire
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("worker exited").isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        Map<String, BackendResponse> answers = awaitAnswers(scenario, Duration.ofSeconds(20));
        assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(scenario.requestIds());
        assertThat(answers.values()).allSatisfy(answer -> assertThat(answer.getStatus()).isEqualTo(BackendStatus.OK));
    }

    @Test
    void recordsOfAKilledWorkerGoToAnotherWorkerWhenTheirLocksExpire() throws Exception {
        // Given a worker process holding three records whose calls hang
        Scenario scenario = scenario("process-sigkill", Duration.ofSeconds(3));
        startHungWorkerProcess(scenario);
        startHealthyWorker(scenario);

        // When it is killed without any chance to acknowledge or release
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // Then the healthy worker answers all three once their locks expire
        Map<String, BackendResponse> answers = awaitAnswers(scenario, Duration.ofSeconds(30));
        assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(scenario.requestIds());
        assertThat(answers.values()).allSatisfy(answer -> assertThat(answer.getStatus()).isEqualTo(BackendStatus.OK));
    }
}
