package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.ProcessorWiring;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.CallDefinition;
import io.parley.processor.flow.FlowCatalog;
import io.parley.runtime.ConfigVariables;
import io.parley.worker.ConnectorFiles;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMode;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.ParsedConnector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docker-compose's configuration files (deploy/) read by the processor's and the worker's own
 * loaders, and checked against docker-compose.yml, so a format change or a renamed topic, port or
 * variable breaks the build rather than the stack. Nothing connects: no Docker engine runs here.
 */
class DeployConfigTest {

    private static final Path PROCESSOR_YAML = ComposeFile.DEPLOY.resolve("processor.yaml");
    private static final Path WORKER_YAML = ComposeFile.DEPLOY.resolve("worker.yaml");
    private static final Path CONNECTORS_YAML = ComposeFile.DEPLOY.resolve("connectors.yaml");

    private final ComposeFile compose = ComposeFile.read();

    @Test
    void processorYamlLoadsWithItsFlowsAndUsesTheStacksBrokerAndRegistry() {
        ProcessorConfig config = ProcessorConfig.load(PROCESSOR_YAML);

        FlowCatalog flows = ProcessorWiring.flows(config);
        assertThat(flows.intents()).extracting(intent -> intent.name())
                .contains("greeting", "order-status", "stock-check", "shipment-tracking");
        assertThat(config.kafka()).containsEntry("bootstrap.servers", "kafka:9092");
        assertThat(config.schemaRegistry()).containsEntry("schema.registry.url", "http://schema-registry:8081");
        assertThat(compose.environment("schema-registry")).containsEntry("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081");
        assertThat(config.kafka().get("state.dir")).as("state on the processor-state volume").startsWith("/var/lib/parley");
        assertThat(compose.service("processor").path("volumes").toString()).contains("processor-state:/var/lib/parley");
    }

    @Test
    void everyTopicTheProcessorUsesIsCreatedByKafkaInit() throws Exception {
        ProcessorConfig config = ProcessorConfig.load(PROCESSOR_YAML);

        Set<String> used = new TreeSet<>(config.topics().asMap().values());
        used.addAll(config.replyRoutes().routes().values());

        assertThat(ComposeFile.kafkaInitTopics()).containsAll(used);
        assertThat(config.replyRoutes().topicFor("console")).isEqualTo("chat.replies.console");
    }

    @Test
    void workerYamlLoadsAsAShareGroupWorkerOfTheGroupKafkaInitPrepares() {
        WorkerConfig config = WorkerConfig.load(WORKER_YAML);

        assertThat(config.mode()).isEqualTo(WorkerMode.SHARE);
        assertThat(config.groupId()).isEqualTo(compose.environment("kafka-init").get("WORKER_GROUP"));
        assertThat(config.kafka()).containsEntry("bootstrap.servers", "kafka:9092");
        assertThat(config.schemaRegistry()).containsEntry("schema.registry.url", "http://schema-registry:8081");
        assertThat(config.connectorSources()).extracting(source -> source.file().normalize())
                .containsExactly(CONNECTORS_YAML.toAbsolutePath().normalize());
    }

    @Test
    void connectorsYamlPassesTheWorkersLoaderAndOffersEveryCallTheFlowsMake() {
        // Resolves ${env:SHOP_DB_PASSWORD} like the worker container does (the build sets it for this test).
        List<ParsedConnector<?>> connectors;
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            connectors = ConnectorFiles.read(List.of(YamlFiles.read(CONNECTORS_YAML)), variables);
        }
        Map<String, Set<String>> offered = connectors.stream()
                .collect(Collectors.toMap(ParsedConnector::name, c -> c.definition().operationNames()));

        Set<CallDefinition> calls = ProcessorWiring.flows(ProcessorConfig.load(PROCESSOR_YAML)).intents().stream()
                .flatMap(intent -> intent.steps().stream())
                .flatMap(step -> step.calls().stream())
                .collect(Collectors.toSet());
        assertThat(calls).isNotEmpty().allSatisfy(call -> assertThat(offered.getOrDefault(call.connector(), Set.of()))
                .as("connector %s in deploy/connectors.yaml", call.connector())
                .contains(call.operation()));
    }

    @Test
    void everyEnvironmentVariableTheDeployFilesReadIsSetOnTheirService() throws Exception {
        List<String> workerReads = new ArrayList<>(ComposeFile.envReferences(WORKER_YAML));
        workerReads.addAll(ComposeFile.envReferences(CONNECTORS_YAML));

        assertThat(workerReads).contains("SHOP_DB_PASSWORD");
        assertThat(compose.environment("worker").keySet()).containsAll(workerReads);
        assertThat(compose.environment("processor").keySet()).containsAll(ComposeFile.envReferences(PROCESSOR_YAML));
    }

    @Test
    void theAdminEndpointsArePublishedOnTheirConfiguredPorts() {
        ProcessorConfig processor = ProcessorConfig.load(PROCESSOR_YAML);
        WorkerConfig worker = WorkerConfig.load(WORKER_YAML);

        assertThat(processor.admin().host()).isEqualTo("0.0.0.0");
        assertThat(worker.adminHost()).isEqualTo("0.0.0.0");
        assertThat(compose.ports("processor")).contains("127.0.0.1:" + processor.admin().port() + ":" + processor.admin().port());
        assertThat(compose.ports("worker")).contains("127.0.0.1:" + worker.adminPort() + ":" + worker.adminPort());
    }
}
