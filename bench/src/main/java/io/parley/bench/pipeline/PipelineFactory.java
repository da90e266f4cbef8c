package io.parley.bench.pipeline;

/**
 * Starts the pipeline under test. Phase 2 of the bench issue implements it with Parley's
 * processor ({@code ParleyProcessor.start(ProcessorConfig)}) and connectors worker
 * ({@code ConnectorWorker.start(WorkerConfig)}).
 */
public interface PipelineFactory {

    /** What this factory starts, for the report (versions, placement). */
    String description();

    /**
     * Starts processor and worker and returns once both consume their topics (the processor's
     * Kafka Streams instance is RUNNING, the worker has joined its share group), so that the
     * first turn the bench sends is served, not queued behind start-up.
     *
     * @throws PipelineUnavailableException when this build cannot start the pipeline at all
     */
    PipelineUnderTest start(PipelineConfig config) throws Exception;
}
