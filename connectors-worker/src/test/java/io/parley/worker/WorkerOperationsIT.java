package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.BackendStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A worker started from worker.yaml, as an operator runs it: answers requests, reports metrics and health. */
class WorkerOperationsIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    @TempDir
    Path dir;

    private static HttpResponse<String> fetch(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWorkerFromWorkerYamlAnswersAndServesMetricsAndHealth() throws Exception {
        shop.stubFor(get(urlPathMatching("/inventory/.*")).willReturn(okJson("{\"sku\": \"MUG-01\", \"quantity\": 12}")));
        Files.createDirectories(dir.resolve("connectors"));
        Files.writeString(dir.resolve("connectors/shop.yaml"), """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    operations:
                      getInventory: {path: "/inventory/{sku}", cacheTtl: 1m}
                """.formatted(shop.baseUrl()));
        try (EmbeddedKafkaCluster kafka = TestKafka.start();
             KafkaTopicsSupport topics = new KafkaTopicsSupport(kafka, 1)) {
            Files.writeString(dir.resolve("worker.yaml"), """
                    kafka: {bootstrap.servers: "%s"}
                    schemaRegistry: {schema.registry.url: "%s"}
                    topics: {backendRequests: %s, backendResponses: %s, workerDeadLetters: %s}
                    admin: {port: 0}
                    connectorFiles: [connectors/shop.yaml]
                    groupId: ops-workers
                    """.formatted(kafka.bootstrapServers(), KafkaTopicsSupport.REGISTRY.get("schema.registry.url"),
                    topics.names.backendRequests(), topics.names.backendResponses(), topics.names.workerDeadLetters()));
            kafka.startShareGroupAtEarliest("ops-workers");

            try (ConnectorWorker worker = ConnectorWorker.start(WorkerConfig.load(dir.resolve("worker.yaml")))) {
                String admin = "http://127.0.0.1:" + worker.adminPort().orElseThrow();
                await().atMost(Duration.ofSeconds(10)).until(() -> fetch(admin + "/health/ready").statusCode() == 200);

                // The second request comes after the first is answered, so it finds the result cached.
                List<BackendStatus> statuses = new ArrayList<>();
                for (int i = 1; i <= 2; i++) {
                    topics.send(request("shop-api", "getInventory", Map.of("sku", "MUG-01")));
                    int expected = i;
                    await().atMost(Duration.ofSeconds(20)).until(() -> {
                        topics.pollResponses().forEach(record -> statuses.add(record.value().getStatus()));
                        return statuses.size() == expected;
                    });
                }
                assertThat(statuses).containsOnly(BackendStatus.OK);

                // The counters move when the producer's send completes, which may come after the response is readable.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fetch(admin + "/metrics").body())
                        .contains("parley_worker_call_seconds_count{connector=\"shop-api\",operation=\"getInventory\",status=\"OK\"} 2\n")
                        .contains("parley_worker_responses_total{connector=\"shop-api\",operation=\"getInventory\",status=\"OK\"} 2.0")
                        .contains("parley_worker_cache_hits_total{connector=\"shop-api\",operation=\"getInventory\"} 1.0")
                        .contains("parley_worker_circuit_state{connector=\"shop-api\"} 0.0")
                        .contains("parley_worker_records_answered_total 2.0"));
                assertThat(fetch(admin + "/health/live").statusCode()).isEqualTo(200);
            }
        }
    }
}
