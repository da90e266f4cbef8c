package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.kafka.WorkerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 part 3 on the embedded broker: the worker's connector file changes while calls are in
 * flight against a slow backend. Every request is answered once; the calls that had started finish
 * on the old definition and the later ones use the new one, never a mix (the backend answers only
 * a path and a header of the same version); a broken file is refused and the new version stays.
 */
class ConnectorReloadIT {

    private static final int CALLS = 20;
    /** Long enough that the reload (checked every 200 ms) is applied while the first calls still wait. */
    private static final int OLD_BACKEND_DELAY_MS = 4000;

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    @TempDir
    Path dir;

    private void writeConnectors(String version) throws Exception {
        Files.writeString(dir.resolve("connectors.yaml"), """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    timeout: 20s
                    headers: {X-Definition: %s}
                    operations:
                      getOrder: {path: "/%s/orders/{orderId}"}
                """.formatted(shop.baseUrl(), version, version));
    }

    private static double reloads(MeterRegistry meters, String outcome) {
        return meters.get(ConnectorReloader.RELOADS).tag("outcome", outcome).counter().count();
    }

    private static String fetch(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<BackendRequest> send(KafkaTopicsSupport topics, String batch) {
        List<BackendRequest> sent = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            BackendRequest request = request("shop-api", "getOrder", Map.of("orderId", batch + i),
                    Instant.now().plus(Duration.ofSeconds(60)));
            topics.send(request);
            sent.add(request);
        }
        return sent;
    }

    @Test
    void callsInFlightFinishOnTheOldDefinitionNewCallsUseTheNewOneAndABrokenFileIsRefused() throws Exception {
        // Each version's backend answers only requests carrying that version's header: a mixed call would get a 404.
        shop.stubFor(get(urlPathMatching("/v1/orders/.*")).withHeader("X-Definition", equalTo("v1"))
                .willReturn(okJson("{\"definition\": \"v1\"}").withFixedDelay(OLD_BACKEND_DELAY_MS)));
        shop.stubFor(get(urlPathMatching("/v2/orders/.*")).withHeader("X-Definition", equalTo("v2"))
                .willReturn(okJson("{\"definition\": \"v2\"}").withFixedDelay(200)));
        writeConnectors("v1");
        try (EmbeddedKafkaCluster kafka = TestKafka.start();
             KafkaTopicsSupport topics = new KafkaTopicsSupport(kafka, 1)) {
            Files.writeString(dir.resolve("worker.yaml"), """
                    kafka: {bootstrap.servers: "%s"}
                    schemaRegistry: {schema.registry.url: "%s"}
                    topics: {backendRequests: %s, backendResponses: %s, workerDeadLetters: %s}
                    admin: {port: 0}
                    connectorFiles: [connectors.yaml]
                    connectorReload: {enabled: true, interval: 200ms}
                    groupId: reload-workers
                    """.formatted(kafka.bootstrapServers(), KafkaTopicsSupport.REGISTRY.get("schema.registry.url"),
                    topics.names.backendRequests(), topics.names.backendResponses(), topics.names.workerDeadLetters()));
            kafka.startShareGroupAtEarliest("reload-workers");

            try (ConnectorWorker worker = ConnectorWorker.start(WorkerConfig.load(dir.resolve("worker.yaml")))) {
                MeterRegistry meters = worker.meterRegistry();
                Map<String, BackendResponse> answers = new LinkedHashMap<>();
                Runnable collect = () -> topics.pollResponses().forEach(record -> {
                    BackendResponse earlier = answers.put(record.value().getRequestId(), record.value());
                    assertThat(earlier).as("a second answer to %s", record.value().getRequestId()).isNull();
                });

                // Given calls in flight on the first definition
                List<BackendRequest> before = send(topics, "a");
                // (WireMock records a request in its journal only once it has answered: the worker's gauge tells when they run.)
                await().atMost(Duration.ofSeconds(30)).until(() -> meters.get(WorkerMetrics.IN_FLIGHT).gauge().value() == CALLS);

                // When the file changes while they wait on the backend
                writeConnectors("v2");
                await().atMost(Duration.ofSeconds(10)).until(() -> reloads(meters, "applied") == 1.0);
                collect.run();
                assertThat(answers).as("answers before the reload was applied").isEmpty();
                List<BackendRequest> after = send(topics, "b");

                // Then every call is answered once, each by the version it started on
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    collect.run();
                    return answers.size() == 2 * CALLS;
                });
                assertThat(answers.values()).extracting(BackendResponse::getStatus).containsOnly(BackendStatus.OK);
                assertThat(results(answers, before)).containsOnly("{\"definition\":\"v1\"}");
                assertThat(results(answers, after)).containsOnly("{\"definition\":\"v2\"}");
                assertThat(worker.connectors().version().number()).isEqualTo(2);
                assertThat(shop.findAll(getRequestedFor(urlPathMatching("/v1/orders/.*")))).hasSize(CALLS);

                // And a broken file is refused: the new version keeps answering
                Files.writeString(dir.resolve("connectors.yaml"), "connectors:\n  - name: shop-api\n    type: http\n");
                await().atMost(Duration.ofSeconds(10)).until(() -> reloads(meters, "refused") == 1.0);
                BackendRequest last = request("shop-api", "getOrder", Map.of("orderId", "c1"));
                topics.send(last);
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    collect.run();
                    return answers.containsKey(last.getRequestId());
                });
                assertThat(answers.get(last.getRequestId()).getResult()).isEqualTo("{\"definition\":\"v2\"}");
                AnsweredRecords.awaitCount(worker, 2 * CALLS + 1);

                String metrics = fetch("http://127.0.0.1:" + worker.adminPort().orElseThrow() + "/metrics");
                assertThat(metrics)
                        .contains("parley_worker_connector_reloads_total{outcome=\"applied\"} 1.0")
                        .contains("parley_worker_connector_reloads_total{outcome=\"refused\"} 1.0")
                        .contains("parley_worker_connector_version{hash=\"" + worker.connectors().version().shortHash() + "\"} 2.0");
            }
        }
    }

    private static Set<String> results(Map<String, BackendResponse> answers, List<BackendRequest> requests) {
        return requests.stream().map(request -> answers.get(request.getRequestId()).getResult()).collect(Collectors.toSet());
    }
}
