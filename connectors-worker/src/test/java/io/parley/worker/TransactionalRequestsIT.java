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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The processor writes its requests in transactions, and a crashed processor's transaction is
 * aborted (its requests are issued again later). A worker must call backends for committed
 * requests only — in a share group, whose default is to deliver aborted records too, as in a
 * classic consumer group.
 */
class TransactionalRequestsIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aShareGroupWorkerNeverCallsForARequestOfAnAbortedTransaction() throws Exception {
        String group = "tx-share-" + UUID.randomUUID();
        kafka.startShareGroupAtEarliest(group);
        try (KafkaTopicsSupport topics = new KafkaTopicsSupport(kafka, 1)) {
            // Given a request in an aborted transaction, then one in a committed transaction
            BackendRequest committed = abortThenCommit(topics);

            // When a worker starts in a share group left at the broker's defaults
            try (ConnectorWorker worker = ConnectorWorker.start(workerConfig(topics, group).mode(WorkerMode.SHARE).build())) {

                // Then only the committed request is called and answered, and the group now reads committed records
                awaitAnswer(topics, committed);
                assertThat(shop.findAll(getRequestedFor(urlPathEqualTo("/orders/aborted")))).isEmpty();
                AnsweredRecords.awaitCount(worker, 1);
                assertThat(groupIsolation(group)).isEqualTo("read_committed");
            }
        }
    }

    @Test
    void aClassicGroupWorkerNeverCallsForARequestOfAnAbortedTransaction() throws Exception {
        try (KafkaTopicsSupport topics = new KafkaTopicsSupport(kafka, 1)) {
            BackendRequest committed = abortThenCommit(topics);

            try (ConnectorWorker worker = ConnectorWorker.start(workerConfig(topics, "tx-classic-" + UUID.randomUUID())
                    .mode(WorkerMode.CLASSIC).build())) {

                awaitAnswer(topics, committed);
                assertThat(shop.findAll(getRequestedFor(urlPathEqualTo("/orders/aborted")))).isEmpty();
                AnsweredRecords.awaitCount(worker, 1);
            }
        }
    }

    /** Writes a request for order "aborted" in a transaction it aborts, then one for "committed" it commits. */
    private static BackendRequest abortThenCommit(KafkaTopicsSupport topics) {
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        BackendRequest aborted = request("shop-api", "getOrder", Map.of("orderId", "aborted"), Instant.now().plusSeconds(60));
        BackendRequest committed = request("shop-api", "getOrder", Map.of("orderId", "committed"), Instant.now().plusSeconds(60));
        try (KafkaProducer<String, BackendRequest> processor = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "processor-" + UUID.randomUUID()),
                topics.topics.backendRequests().keySerde().serializer(), topics.topics.backendRequests().valueSerde().serializer())) {
            processor.initTransactions();
            processor.beginTransaction();
            processor.send(new ProducerRecord<>(topics.names.backendRequests(), aborted.getConversationId(), aborted));
            processor.flush();
            processor.abortTransaction();
            processor.beginTransaction();
            processor.send(new ProducerRecord<>(topics.names.backendRequests(), committed.getConversationId(), committed));
            processor.commitTransaction();
        }
        return committed;
    }

    private static WorkerConfig.Builder workerConfig(KafkaTopicsSupport topics, String group) {
        return topics.workerConfig(group)
                .consumers(1)
                .connectorYaml("connectors.yaml", """
                        connectors:
                          - name: shop-api
                            type: http
                            baseUrl: %s
                            allowPrivateNetworks: true
                            operations:
                              getOrder: {path: "/orders/{orderId}"}
                        """.formatted(shop.baseUrl()));
    }

    private static void awaitAnswer(KafkaTopicsSupport topics, BackendRequest request) {
        List<BackendResponse> responses = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            topics.pollResponses().forEach(record -> responses.add(record.value()));
            return responses.stream().anyMatch(response -> response.getRequestId().equals(request.getRequestId()));
        });
    }

    private static String groupIsolation(String group) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        try (Admin admin = kafka.admin()) {
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            return config.get("share.isolation.level").value();
        }
    }
}
