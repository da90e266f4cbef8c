package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: with the broker stopped for 10 s the worker's log grew by 460 MB (its share consumers
 * retried without backoff, logging each retry). An outage must cost little: logged once each way,
 * not ready while it lasts, and ridden out without help. The embedded broker is stopped and started
 * again on the same port and data.
 */
class BrokerOutageIT {

    private EmbeddedKafkaCluster kafka;
    private KafkaTopicsSupport topics;
    private CountingServer backend;
    private ConnectorWorker worker;

    @BeforeEach
    void start() throws Exception {
        kafka = TestKafka.start();
        backend = new CountingServer(0);
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (topics != null) {
            topics.close();
        }
        backend.close();
        kafka.close();
    }

    @Test
    void anOutageIsLoggedOnceReportedNotReadyAndRiddenOut() throws Exception {
        topics = new KafkaTopicsSupport(kafka, 1);
        kafka.startShareGroupAtEarliest("outage");
        worker = ConnectorWorker.start(topics.workerConfig("outage").connectorYaml("shop.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    operations:
                      getOrder: {path: "/orders/{orderId}"}
                """.formatted(backend.baseUrl())).build());
        BackendRequest before = request("shop-api", "getOrder", Map.of("orderId", "1"), Instant.now().plusSeconds(60));
        topics.send(before);
        awaitAnswer(before);

        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs(Level.INFO)) {
            // When the broker is gone for about 10 s
            kafka.stopBroker();
            await().atMost(Duration.ofSeconds(10)).until(() -> !worker.isReady());
            assertThat(readiness()).isEqualTo(503);
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            await().atMost(Duration.ofSeconds(15)).until(() -> System.nanoTime() > until);
            kafka.startBroker();

            // Then the worker is ready again by itself, and answers a request sent after the outage
            await().atMost(Duration.ofSeconds(30)).until(worker::isReady);
            BackendRequest after = request("shop-api", "getOrder", Map.of("orderId", "2"), Instant.now().plusSeconds(60));
            topics.send(after);
            awaitAnswer(after);
            lines = logs.lines();
        }
        assertThat(readiness()).isEqualTo(200);

        // And its log says so once each way, and its Kafka clients logged little while it lasted: at WARN (the
        // level the distribution's logback.xml gives org.apache.kafka) a few dozen lines; at INFO the share
        // consumers' retries until the worker noticed (before: tens of thousands of lines, without end)
        List<String> workerLines = lines.stream().filter(line -> line.contains("clientId=outage-")
                || line.contains(" io.parley.worker")).toList();
        assertThat(workerLines).filteredOn(line -> line.startsWith("WARN io.parley.worker.kafka.BrokerWatch")).satisfiesExactly(
                down -> assertThat(down).contains("is unreachable"),
                back -> assertThat(back).contains("is reachable again"));
        assertThat(workerLines).filteredOn(line -> !line.startsWith("INFO") && !line.startsWith("DEBUG"))
                .as("WARN and ERROR lines of the worker and its Kafka clients during the outage").hasSizeLessThan(60);
        assertThat(workerLines).as("lines of the worker and its Kafka clients during the outage, INFO included")
                .hasSizeLessThan(5_000);
    }

    private int readiness() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.adminPort().orElseThrow() + "/health/ready"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void awaitAnswer(BackendRequest request) {
        List<BackendResponse> responses = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            topics.pollResponses().forEach(record -> responses.add(record.value()));
            return responses.stream().anyMatch(r -> r.getRequestId().equals(request.getRequestId()));
        });
        assertThat(responses).filteredOn(r -> r.getRequestId().equals(request.getRequestId()))
                .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(BackendStatus.OK));
    }
}
