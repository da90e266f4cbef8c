package io.parley.bench.pipeline;

import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.worker.ConnectorWorker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Parley's processor and worker serving a scenario, with what the scenario may read of them. */
final class RunningPipeline implements PipelineUnderTest {

    private final ProcessorProcess processor;
    private final ConnectorWorker worker;
    private final Optional<EmbeddedSchemaRegistry> registry;
    private final Map<String, Object> settings;
    private final Path processorState;
    private final StateProbe probe;

    RunningPipeline(ProcessorProcess processor, ConnectorWorker worker, Optional<EmbeddedSchemaRegistry> registry,
                    Map<String, Object> settings, Path processorState) {
        this.processor = processor;
        this.worker = worker;
        this.registry = registry;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.processorState = processorState;
        this.probe = new ScrapedStateProbe(processor);
    }

    @Override
    public Map<String, Object> effectiveSettings() {
        return settings;
    }

    @Override
    public StateProbe stateProbe() {
        return probe;
    }

    /** Stops the processor first (it is what is measured), then the worker, then the registry; removes the processor's state. */
    @Override
    public void close() {
        try {
            processor.close();
        } finally {
            try {
                worker.close();
            } finally {
                registry.ifPresent(EmbeddedSchemaRegistry::close);
                deleteTree(processorState);
            }
        }
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the processor's state folder " + directory, e);
        }
    }
}
