package io.parley.bench.pipeline;

import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.serde.AvroSerdeConfig;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.worker.ConnectorWorker;
import io.parley.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Parley's processor and connectors worker for a scenario. The bench writes their
 * configuration files ({@code processor.yaml}, {@code worker.yaml}, {@code connectors.yaml}) into
 * the scenario's work folder, and each reads them with its own loader, as a user's deployment
 * would. The worker runs in the bench JVM; the processor runs there too or, for the memory
 * scenario, in a JVM of its own ({@link ProcessorPlacement}).
 */
public final class ParleyPipelineFactory implements PipelineFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ParleyPipelineFactory.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    @Override
    public String description() {
        return "Parley processor and connectors worker of this build (share group), worker in the bench JVM";
    }

    @Override
    public PipelineUnderTest start(PipelineConfig config) throws Exception {
        ProcessorSettings processorSettings = new ProcessorSettings(config);
        WorkerSettings workerSettings = new WorkerSettings(config);
        Path folder = config.workDirectory();
        ConfigFiles.write(folder.resolve(WorkerSettings.CONNECTOR_FILE), workerSettings.connectorsYaml());
        Path workerYaml = ConfigFiles.write(folder.resolve("worker.yaml"), workerSettings.workerYaml());

        ConnectorWorker worker = null;
        EmbeddedSchemaRegistry registry = null;
        ProcessorProcess processor = null;
        try (Admin admin = Admin.create(new HashMap<>(config.kafka()))) {
            // The worker first: once the processor runs, its first request is fetched at once.
            ShareGroups groups = new ShareGroups(admin);
            groups.startAtEarliest(workerSettings.groupId());
            worker = ConnectorWorker.start(WorkerConfig.load(workerYaml));
            groups.awaitAssigned(workerSettings.groupId(), workerSettings.consumers(), START_TIMEOUT);

            Map<String, Object> serde = new HashMap<>(config.schemaRegistry());
            if (config.placement() == ProcessorPlacement.CHILD_JVM) {
                Optional<String> scope = new AvroSerdeConfig(config.schemaRegistry()).mockScope();
                if (scope.isPresent()) {
                    registry = EmbeddedSchemaRegistry.start(InMemorySchemaRegistry.forScope(scope.get()));
                    serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
                }
                int adminPort = ChildJvmProcessor.freePort();
                Path processorYaml = ConfigFiles.write(folder.resolve("processor.yaml"), processorSettings.yaml(serde, adminPort));
                String heap = config.processorMaxHeap()
                        .orElseThrow(() -> new IllegalArgumentException("A processor in a child JVM needs an explicit maximum heap"));
                processor = ChildJvmProcessor.start(processorYaml, adminPort, heap, folder.resolve("processor.log"), START_TIMEOUT);
            } else {
                Path processorYaml = ConfigFiles.write(folder.resolve("processor.yaml"), processorSettings.yaml(serde, 0));
                processor = InProcessProcessor.start(processorYaml, START_TIMEOUT);
            }
            LOG.info("Pipeline {} running: processor {}, worker group {}", config.name(), processorSettings.applicationId(),
                    workerSettings.groupId());

            Map<String, Object> settings = new LinkedHashMap<>(processor.describe());
            settings.putAll(processorSettings.describe());
            settings.putAll(workerSettings.describe());
            settings.put("configuration", "processor.yaml, worker.yaml, connectors.yaml written by the bench (see ParleyPipelineFactory)");
            return new RunningPipeline(processor, worker, Optional.ofNullable(registry), settings,
                    processorSettings.stateDirectory());
        } catch (Exception | Error e) {
            closeQuietly(processor, e);
            closeQuietly(worker, e);
            closeQuietly(registry, e);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable resource, Throwable failure) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
