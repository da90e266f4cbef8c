package io.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.ParleyProcessor;
import io.parley.processor.config.ConnectorCatalogSettings;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.topics.TopicNames;
import io.parley.worker.ConnectorWorker;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on the embedded broker, with the processor and the worker as separate services that
 * share only the connector catalog topic: a processor requiring the catalog does not start before
 * a worker published one; once the worker has, a flow whose reply reads a field the operation's
 * response schema lacks is refused with one line naming the flow, the template and the field; the
 * corrected flow starts.
 */
class ConnectorCatalogIT {

    @TempDir
    Path directory;

    private EmbeddedKafkaCluster kafka;
    private EmbeddedSchemaRegistry registry;
    private ConnectorWorker worker;

    @BeforeEach
    void startBroker() {
        kafka = EmbeddedKafkaCluster.start();
        registry = EmbeddedSchemaRegistry.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(2, names.chatEvents(), names.backendRequests(), names.backendResponses(), names.notifications(),
                names.audit(), names.defaultReplies());
        kafka.createTopics(1, names.deadLetters(), names.workerDeadLetters());
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private Path flow(String reply) throws Exception {
        return Files.writeString(directory.resolve("orders.yaml"), """
                version: "1"
                connectors:
                  shop-api: [getOrder]
                intents:
                  - name: track
                    keywords: [track]
                    steps:
                      - calls:
                          order:
                            connector: shop-api
                            operation: getOrder
                            params:
                              orderId: "1"
                    reply: "%s"
                """.formatted(reply));
    }

    private ProcessorConfig processor(Path flowFile) throws Exception {
        return ProcessorConfig.builder()
                .kafka("bootstrap.servers", kafka.bootstrapServers())
                .kafka("application.id", "catalog-" + UUID.randomUUID())
                .kafka("state.dir", Files.createDirectories(directory.resolve("state")).toString())
                .schemaRegistry("schema.registry.url", registry.url())
                .flows(List.of(FlowSource.parse(flowFile.toString(), null)))
                .adminPort(0)
                .connectorCatalog(ConnectorCatalogSettings.DEFAULTS.withRequire(true).withWait(Duration.ofSeconds(10)))
                .build();
    }

    private void startWorker() {
        worker = ConnectorWorker.start(WorkerConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .schemaRegistry(Map.of("schema.registry.url", registry.url()))
                .mode(WorkerMode.CLASSIC)
                .adminEnabled(false)
                .connectorYaml("connectors.yaml", """
                        connectors:
                          - name: shop-api
                            type: http
                            baseUrl: https://shop.example
                            operations:
                              getOrder:
                                path: "/orders/{orderId}"
                                response:
                                  schema:
                                    type: object
                                    properties:
                                      state: {type: string}
                                      total: {type: number}
                        """)
                .build());
    }

    @Test
    void aTemplateReadingAFieldTheSchemaLacksIsRefusedAtStartAndTheFixedFlowStarts() throws Exception {
        // Given no worker has published yet: a processor that requires the catalog does not start
        Path wrong = flow("Your order is {{results.order.status}}.");
        assertThatThrownBy(() -> ParleyProcessor.start(processor(wrong)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("connectorCatalog.require: the connector catalog is required but the topic"
                        + " parley.connectors does not exist");

        // When a worker starts (and publishes its catalog)
        startWorker();

        // Then the flow reading 'status', which getOrder's response schema does not have, is refused in one line
        assertThatThrownBy(() -> ParleyProcessor.start(processor(wrong)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("orders.yaml")
                .hasMessageContaining("intents[track].reply: reads field 'status' of results.order, which the response"
                        + " schema of shop-api.getOrder does not have; its fields are [state, total]")
                .hasMessageNotContaining("\n");

        // And the corrected flow starts
        Path fixed = flow("Your order is {{results.order.state}}.");
        try (ParleyProcessor processor = ParleyProcessor.start(processor(fixed))) {
            assertThat(processor.awaitRunning(Duration.ofSeconds(60))).as("processor running").isTrue();
        }
    }
}
