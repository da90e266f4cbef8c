package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.CatalogOperation;
import io.parley.schemas.ConnectorCatalog;
import io.parley.topics.Topic;
import io.parley.worker.kafka.CatalogPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker publishes its connector catalog to the compacted {@code parley.connectors} topic, on
 * the embedded broker: at start (creating the topic), and again when a reload is applied, with a
 * tombstone for a connector the reload removed.
 */
class ConnectorCatalogIT {

    @TempDir
    Path dir;

    private void writeConnectors(String text) throws Exception {
        Files.writeString(dir.resolve("connectors.yaml"), text);
    }

    /** Everything on the catalog topic so far, latest value per key (null for a tombstone). */
    private static Map<String, ConnectorCatalog> readCatalog(EmbeddedKafkaCluster kafka, Topic<String, ConnectorCatalog> topic) {
        Map<String, ConnectorCatalog> latest = new HashMap<>();
        try (KafkaConsumer<String, ConnectorCatalog> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            TopicPartition partition = new TopicPartition(topic.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> latest.put(record.key(), record.value()));
            }
        }
        return latest;
    }

    @Test
    void theCatalogIsPublishedAtStartAndAgainWhenAReloadIsApplied() throws Exception {
        writeConnectors("""
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: http://shop.example
                    operations:
                      getOrder:
                        default: v1
                        versions:
                          v1:
                            path: "/v1/orders/{orderId}"
                            response:
                              schema: {type: object, properties: {status: {type: string}, total: {type: number}}}
                          v2: {path: "/v2/customers/{customerId}/orders/{orderId}"}
                  - name: prefs
                    type: redis
                    url: redis://cache:6379/0
                    operations:
                      getColour: {command: get, key: "colour:{userId}"}
                """);
        try (EmbeddedKafkaCluster kafka = TestKafka.start();
             KafkaTopicsSupport topics = new KafkaTopicsSupport(kafka, 1)) {
            WorkerConfig config = topics.workerConfig("catalog-workers").connectorFiles(List.of(dir.resolve("connectors.yaml")))
                    .build();
            Topic<String, ConnectorCatalog> catalogTopic = topics.topics.connectorCatalog();

            // Given a worker that has started
            try (ConnectorWorker worker = ConnectorWorker.start(config)) {

                // Then the catalog topic exists, compacted, with one record per connector
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, catalogTopic.name());
                Config topicConfig = kafka.admin().describeConfigs(List.of(resource)).all().get().get(resource);
                assertThat(topicConfig.get("cleanup.policy").value()).isEqualTo("compact");
                Map<String, ConnectorCatalog> catalog = readCatalog(kafka, catalogTopic);
                assertThat(catalog).containsOnlyKeys("shop-api", "prefs");
                ConnectorCatalog shop = catalog.get("shop-api");
                assertThat(shop.getType()).isEqualTo("http");
                assertThat(shop.getSourceFile()).isEqualTo("connectors.yaml");
                assertThat(shop.getDefinitionsVersion()).isEqualTo(1);
                assertThat(shop.getOperations()).extracting(CatalogOperation::getName).containsExactly("getOrder@v1", "getOrder@v2");
                CatalogOperation v1 = shop.getOperations().get(0);
                assertThat(v1.getOperation()).isEqualTo("getOrder");
                assertThat(v1.getVersion()).isEqualTo("v1");
                assertThat(v1.getIsDefault()).isTrue();
                assertThat(v1.getParameters()).containsExactly("orderId");
                assertThat(v1.getResultFields()).containsExactly("status", "total");
                assertThat(v1.getResponseSchema()).contains("\"status\"");
                CatalogOperation v2 = shop.getOperations().get(1);
                assertThat(v2.getIsDefault()).isFalse();
                assertThat(v2.getParameters()).containsExactly("customerId", "orderId");
                assertThat(v2.getResponseSchema()).isNull();
                assertThat(v2.getResultFields()).isNull();
                assertThat(catalog.get("prefs").getOperations()).singleElement()
                        .satisfies(op -> assertThat(op.getParameters()).containsExactly("userId"));
                String hashBefore = v1.getDefinitionHash();

                // When the file changes: the v1 schema gains a field, and prefs is removed
                writeConnectors("""
                        connectors:
                          - name: shop-api
                            type: http
                            baseUrl: http://shop.example
                            operations:
                              getOrder:
                                default: v1
                                versions:
                                  v1:
                                    path: "/v1/orders/{orderId}"
                                    response:
                                      schema: {type: object, properties: {status: {type: string}, total: {type: number}, eta: {type: string}}}
                                  v2: {path: "/v2/customers/{customerId}/orders/{orderId}"}
                        """);
                assertThat(worker.reloadConnectors()).isEqualTo(ConnectorReloader.Outcome.APPLIED);

                // Then the catalog follows: version 2, the new field and hash, and prefs tombstoned
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    Map<String, ConnectorCatalog> reloaded = readCatalog(kafka, catalogTopic);
                    assertThat(reloaded).containsEntry("prefs", null);
                    ConnectorCatalog after = reloaded.get("shop-api");
                    assertThat(after.getDefinitionsVersion()).isEqualTo(2);
                    CatalogOperation changed = after.getOperations().get(0);
                    assertThat(changed.getResultFields()).containsExactly("eta", "status", "total");
                    assertThat(changed.getDefinitionHash()).isNotEqualTo(hashBefore);
                    assertThat(after.getOperations().get(1).getDefinitionHash()).isEqualTo(v2.getDefinitionHash());
                });
                assertThat(worker.meterRegistry().get(CatalogPublisher.PUBLICATIONS).tag("outcome", "published").counter().count())
                        .isEqualTo(2.0);
                assertThat(Set.copyOf(worker.connectors().names())).containsExactly("shop-api");
            }
        }
    }
}
