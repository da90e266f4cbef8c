package io.parley.bench.pipeline;

import io.parley.processor.ParleyProcessor;
import io.parley.processor.config.ProcessorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The processor embedded in the bench JVM ({@link ParleyProcessor}), beside the broker, the load
 * generator and the worker: the placement of the throughput and latency scenarios.
 */
final class InProcessProcessor implements ProcessorProcess {

    private final ParleyProcessor processor;

    private InProcessProcessor(ParleyProcessor processor) {
        this.processor = processor;
    }

    /** Starts the processor of {@code processorYaml} and returns once Kafka Streams is RUNNING. */
    static InProcessProcessor start(Path processorYaml, Duration timeout) throws InterruptedException {
        ParleyProcessor processor = ParleyProcessor.start(ProcessorConfig.load(processorYaml));
        try {
            if (!processor.awaitRunning(timeout)) {
                throw new IllegalStateException("The processor was not RUNNING within " + timeout + " (it is " + processor.state() + ")");
            }
            return new InProcessProcessor(processor);
        } catch (InterruptedException | RuntimeException e) {
            processor.close();
            throw e;
        }
    }

    @Override
    public String adminUrl() {
        return processor.adminUrl();
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("processor.placement", "in the bench JVM (shares its heap and cores with broker, load generator and worker)");
        return description;
    }

    @Override
    public void close() {
        processor.close();
    }
}
