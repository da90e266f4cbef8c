package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The processor writes requests in Kafka transactions; a request of an aborted transaction (a
 * processor that crashed mid-turn) must never reach a backend, or the retried turn would call
 * the backend a second time for one user message.
 */
class TransactionalRequestsIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.builder().start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @ParameterizedTest
    @EnumSource(WorkerMode.class)
    void requestsOfAbortedTransactionsAreNeverCalled(WorkerMode mode) {
        // Given a request left by an aborted transaction, followed by a committed one
        String group = "committed-only-" + UUID.randomUUID();
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        try (KafkaTopicsSupport topics = new KafkaTopicsSupport(kafka, 1)) {
            kafka.startShareGroupAtEarliest(group);
            topics.sendInAbortedTransaction(order("aborted-1"));
            topics.send(order("committed-2"));

            // When a worker consumes the request topic
            try (ConnectorWorker worker = ConnectorWorker.start(topics.workerConfig(group)
                    .mode(mode)
                    .consumers(1)
                    .connectorYaml("connectors.yaml", """
                            connectors:
                              - name: shop-api
                                type: http
                                baseUrl: %s
                                allowPrivateNetworks: true
                                operations:
                                  getOrder:
                                    path: /orders/{orderId}
                            """.formatted(shop.baseUrl()))
                    .build())) {

                // Then only the committed request is answered, and the backend never saw the aborted one
                List<BackendResponse> responses = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    topics.pollResponses().forEach(record -> responses.add(record.value()));
                    return !responses.isEmpty();
                });
                // absence can only be shown over a while: no second answer comes within a second
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> {
                    topics.pollResponses().forEach(record -> responses.add(record.value()));
                    return responses.size() == 1;
                });
                assertThat(responses).extracting(BackendResponse::getRequestId).containsExactly("req-committed-2");
                assertThat(worker.metrics().answeredCount()).isEqualTo(1);
                shop.verify(0, getRequestedFor(urlPathEqualTo("/orders/aborted-1")));
                shop.verify(1, getRequestedFor(urlPathEqualTo("/orders/committed-2")));
            }
        }
    }

    private static BackendRequest order(String orderId) {
        BackendRequest request = request("shop-api", "getOrder", Map.of("orderId", orderId), Instant.now().plusSeconds(60));
        request.setRequestId("req-" + orderId);
        return request;
    }
}
