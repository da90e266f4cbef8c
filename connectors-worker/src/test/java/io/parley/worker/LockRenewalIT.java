package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (known limits): a call that outlived the share group's acquisition lock was delivered
 * again while it ran, and the backend was called a second time. The worker renews the locks of the
 * records whose calls are still running (KIP-1222, {@code AcknowledgeType.RENEW}).
 */
class LockRenewalIT {

    /**
     * A short lock, so that a call of a few seconds outlives it; not shorter, because the worker renews
     * it every half lock, and a loaded machine's pause of that long would let it expire.
     */
    private static final int LOCK_MILLIS = 4_000;

    private static EmbeddedKafkaCluster kafka;

    private KafkaTopicsSupport topics;
    private CountingServer backend;
    private ConnectorWorker worker;

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.builder()
                .brokerProperty("group.share.min.record.lock.duration.ms", 1_000)
                .brokerProperty("group.share.record.lock.duration.ms", LOCK_MILLIS)
                .start();
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

    @Test
    void aCallThatOutlivesTheAcquisitionLockIsMadeOnceAndAnsweredOnce() throws Exception {
        // Given a worker with two share consumers, and a backend that takes three lock durations to answer
        topics = new KafkaTopicsSupport(kafka, 1);
        backend = new CountingServer(3 * LOCK_MILLIS);
        kafka.startShareGroupAtEarliest("renewals");
        worker = ConnectorWorker.start(topics.workerConfig("renewals").consumers(2).concurrency(4)
                .connectorYaml("shop.yaml", """
                        connectors:
                          - name: shop-api
                            type: http
                            baseUrl: %s
                            allowPrivateNetworks: true
                            timeout: 30s
                            retry: {maxAttempts: 1}
                            operations:
                              getOrder: {path: "/orders/{orderId}"}
                        """.formatted(backend.baseUrl())).build());

        // When a request comes
        BackendRequest slow = request("shop-api", "getOrder", Map.of("orderId", "1"), Instant.now().plusSeconds(60));
        topics.send(slow);

        // Then it is answered once, for one call of the backend, and stays answered once
        List<BackendResponse> responses = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            topics.pollResponses().forEach(record -> responses.add(record.value()));
            return !responses.isEmpty();
        });
        await().during(Duration.ofMillis(2 * LOCK_MILLIS)).atMost(Duration.ofSeconds(20)).until(() -> {
            topics.pollResponses().forEach(record -> responses.add(record.value()));
            return responses.size() == 1;
        });
        assertThat(responses).singleElement().satisfies(response -> {
            assertThat(response.getRequestId()).isEqualTo(slow.getRequestId());
            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        });
        assertThat(backend.served()).isEqualTo(1);
        assertThat(backend.maxInFlight()).isEqualTo(1);
        assertThat(worker.meterRegistry().get(WorkerMetrics.LOCKS_RENEWED).counter().count()).isGreaterThanOrEqualTo(2);
        assertThat(worker.meterRegistry().get(WorkerMetrics.RELEASED).counter().count()).isZero();
    }
}
