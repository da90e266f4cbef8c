package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.kafka.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: an answer just under the connector's cap made a {@code BackendResponse} record larger
 * than the response topic accepts; the record was delivered again and again, the backend was called
 * five times (a write applied five times) and the user got the fallback. The worker now checks its
 * caps against the topic and the producer at start, and an answer Kafka still refuses is answered
 * {@code RESPONSE_TOO_LARGE} once.
 */
class ResponseSizeIT {

    private static EmbeddedKafkaCluster kafka;

    private KafkaTopicsSupport topics;
    private BigAnswerServer backend;
    private ConnectorWorker worker;

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    private static String connectors(String baseUrl, String extra) {
        return """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    timeout: 10s
                    retry: {maxAttempts: 1}
                %s
                    operations:
                      placeOrder:
                        method: POST
                        path: /orders
                        body: {sku: "{sku}"}
                """.formatted(baseUrl, extra.indent(4));
    }

    /** Sets the response topic's max.message.bytes and waits until the broker reports it. */
    private void limitResponses(int bytes) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, topics.names.backendResponses());
        try (Admin admin = kafka.admin()) {
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> admin.describeConfigs(List.of(topic)).all().get().get(topic)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value().equals(Integer.toString(bytes)));
        }
    }

    @Test
    void aConnectorWhoseAnswersCannotFitTheResponseTopicStopsTheStartNamingFileConnectorAndField() throws Exception {
        // Given a response topic that takes records of up to 64 KiB
        topics = new KafkaTopicsSupport(kafka, 1);
        limitResponses(65_536);

        // Then a connector accepting answers of 1 MiB is refused at start, by file, connector and field
        assertThatThrownBy(() -> ConnectorWorker.start(topics.workerConfig("size-start")
                .connectorYaml("shop.yaml", connectors("http://127.0.0.1:9", "maxResponseBytes: 1048576")).build()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("shop.yaml: connectors[shop-api].maxResponseBytes: 1048576 bytes does not fit a response"
                        + " record: " + topics.names.backendResponses() + " accepts records of up to 65536 bytes")
                .hasMessageContaining("set it to at most 49152");

        // And so is a worker-wide cap that does not fit
        assertThatThrownBy(() -> ConnectorWorker.start(topics.workerConfig("size-start").maxResponseBytes(1_048_576)
                .connectorYaml("shop.yaml", connectors("http://127.0.0.1:9", "")).build()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("code: maxResponseBytes: 1048576 bytes does not fit a response record");
    }

    @Test
    void anAnswerKafkaRefusesIsAnsweredResponseTooLargeOnceAndTheBackendIsNotCalledAgain() throws Exception {
        // Given a worker started against a response topic of 64 KiB, calling a backend whose answers are about 40 kB
        topics = new KafkaTopicsSupport(kafka, 1);
        limitResponses(65_536);
        backend = new BigAnswerServer(40_000);
        kafka.startShareGroupAtEarliest("size-refused");
        worker = ConnectorWorker.start(topics.workerConfig("size-refused").consumers(1)
                .connectorYaml("shop.yaml", connectors(backend.baseUrl(), "")).build());

        // When the topic's limit is lowered below the answer while the worker runs, and a write comes
        limitResponses(16_384);
        BackendRequest write = request("shop-api", "placeOrder", Map.of("sku", "A-1"), Instant.now().plusSeconds(60));
        topics.send(write);

        // Then it is answered RESPONSE_TOO_LARGE, without the result
        List<BackendResponse> responses = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            topics.pollResponses().forEach(record -> responses.add(record.value()));
            return !responses.isEmpty();
        });
        BackendResponse response = responses.get(0);
        assertThat(response.getRequestId()).isEqualTo(write.getRequestId());
        assertThat(response.getStatus()).isEqualTo(BackendStatus.RESPONSE_TOO_LARGE);
        assertThat(response.getResult()).isNull();
        assertThat(response.getAttempts()).isEqualTo(1);

        // And the record is acknowledged, not released: the write reached the backend once
        assertThat(worker.meterRegistry().get(WorkerMetrics.RELEASED).counter().count()).isZero();
        assertThat(worker.meterRegistry().get(WorkerMetrics.RESPONSES_TOO_LARGE).counter().count()).isEqualTo(1);
        assertThat(backend.writes()).isEqualTo(1);

        // And the worker goes on: the next write is answered too (once more RESPONSE_TOO_LARGE), and only once
        BackendRequest next = request("shop-api", "placeOrder", Map.of("sku", "A-2"), Instant.now().plusSeconds(60));
        topics.send(next);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            topics.pollResponses().forEach(record -> responses.add(record.value()));
            return responses.stream().anyMatch(r -> r.getRequestId().equals(next.getRequestId()));
        });
        assertThat(responses).extracting(BackendResponse::getRequestId).containsExactly(write.getRequestId(), next.getRequestId());
        assertThat(backend.writes()).isEqualTo(2);
    }
}
