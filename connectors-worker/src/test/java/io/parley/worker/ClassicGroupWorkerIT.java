package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The classic consumer-group mode, for clusters without share groups, on a real broker. */
class ClassicGroupWorkerIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    @Test
    void answersEveryRequestAndCommitsOffsetsOnlyForAnsweredRecords() throws Exception {
        try (EmbeddedKafkaCluster kafka = TestKafka.start();
             KafkaTopicsSupport topics = new KafkaTopicsSupport(kafka, 3)) {
            // Given a worker in classic mode; backend answers take a varying time, so calls finish out of order
            shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")
                    .withUniformRandomDelay(5, 80)));
            try (ConnectorWorker worker = ConnectorWorker.start(topics.workerConfig("classic-workers")
                    .mode(WorkerMode.CLASSIC)
                    .concurrency(8)
                    .connectorYaml("connectors.yaml", """
                            connectors:
                              - name: shop-api
                                type: http
                                baseUrl: %s
                                allowPrivateNetworks: true
                                operations:
                                  getOrder: {path: "/orders/{orderId}"}
                            """.formatted(shop.baseUrl()))
                    .build())) {

                // When thirty requests arrive over three partitions
                Map<String, String> conversationByRequest = new HashMap<>();
                for (int i = 0; i < 30; i++) {
                    BackendRequest request = request("shop-api", "getOrder", Map.of("orderId", String.valueOf(i)),
                            Instant.now().plusSeconds(60));
                    conversationByRequest.put(request.getRequestId(), request.getConversationId());
                    topics.send(request);
                }

                // Then each is answered once, keyed by its conversation id
                Map<String, ConsumerRecord<String, BackendResponse>> responses = new LinkedHashMap<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    topics.pollResponses().forEach(record -> responses.put(record.value().getRequestId(), record));
                    return responses.size() == 30;
                });
                assertThat(responses.keySet()).isEqualTo(conversationByRequest.keySet());
                assertThat(responses.values()).allSatisfy(record -> {
                    assertThat(record.value().getStatus()).isEqualTo(BackendStatus.OK);
                    assertThat(record.key()).isEqualTo(conversationByRequest.get(record.value().getRequestId()));
                });
                AnsweredRecords.awaitCount(worker, 30);

                // And the committed offsets reach the end of every partition
                try (Admin admin = kafka.admin()) {
                    List<TopicPartition> partitions = List.of(0, 1, 2).stream()
                            .map(p -> new TopicPartition(topics.names.backendRequests(), p)).toList();
                    Map<TopicPartition, Long> ends = admin.listOffsets(partitions.stream()
                                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                            .all().get().entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                    await().atMost(Duration.ofSeconds(10)).until(() -> {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("classic-workers")
                                .partitionsToOffsetAndMetadata().get();
                        return partitions.stream().allMatch(p -> committed.get(p) != null
                                && committed.get(p).offset() == ends.get(p));
                    });
                }
            }
        }
    }
}
