package io.parley.bench.scenario;

import io.parley.bench.backend.OrderBackend;
import io.parley.bench.kafka.BenchKafka;
import io.parley.bench.kafka.ScenarioTopics;
import io.parley.bench.load.Workload;
import io.parley.bench.pipeline.PipelineConfig;
import io.parley.bench.pipeline.PipelineFactory;
import io.parley.bench.pipeline.PipelineUnderTest;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.pipeline.ProcessorPlacement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything a pipeline scenario runs against, started in order and closed in reverse: its
 * topics, the backend, and the pipeline under test (processor and worker).
 */
final class PipelineRun implements AutoCloseable {

    /** The channel of bench events; the pipeline routes its replies to the default reply topic. */
    static final String CHANNEL = "bench";
    /** Starts a session and replies without a backend call. */
    static final String SESSION_TEXT = "hello";

    private final BenchKafka kafka;
    private final OrderBackend backend;
    private final PipelineUnderTest pipeline;
    private final ScenarioTopics topics;

    private PipelineRun(BenchKafka kafka, OrderBackend backend, PipelineUnderTest pipeline, ScenarioTopics topics) {
        this.kafka = kafka;
        this.backend = backend;
        this.pipeline = pipeline;
        this.topics = topics;
    }

    /** What a scenario asks of the run. */
    record Request(ProcessingGuarantee guarantee, Duration commitInterval, Duration backendDelay, Duration turnTimeout,
                   OptionalInt workerConcurrency, ProcessorPlacement placement, Optional<String> processorMaxHeap) {
    }

    /**
     * Creates the scenario's topics (all of Parley's, chat events and backend responses with the
     * same partition count, as the processor requires), starts the backend, then the pipeline.
     *
     * @throws io.parley.bench.pipeline.PipelineUnavailableException when this build has no pipeline
     */
    static PipelineRun start(ScenarioContext context, String scenarioId, PipelineFactory factory, Request request)
            throws Exception {
        ScenarioTopics topics = context.topicsFor(scenarioId);
        context.kafka().createTopics(context.settings().partitions(), topics.all());
        OrderBackend backend = null;
        try {
            backend = OrderBackend.start(request.backendDelay(), 2);
            PipelineConfig config = new PipelineConfig(topics.name(), context.kafka().clientConfig(), context.serdeConfig(), topics.names(),
                    CHANNEL, Workload.ORDER_STATUS_TEXT, SESSION_TEXT, request.guarantee(), request.commitInterval(),
                    context.settings().streamThreads(), backend.baseUri(), request.turnTimeout(),
                    request.workerConcurrency(), request.placement(), request.processorMaxHeap(),
                    context.newDirectory(scenarioId.toLowerCase(java.util.Locale.ROOT) + "-pipeline"));
            PipelineUnderTest pipeline = factory.start(config);
            return new PipelineRun(context.kafka(), backend, pipeline, topics);
        } catch (Exception | Error e) {
            if (backend != null) {
                backend.close();
            }
            context.kafka().deleteTopics(topics.all());
            throw e;
        }
    }

    ScenarioTopics topics() {
        return topics;
    }

    OrderBackend backend() {
        return backend;
    }

    PipelineUnderTest pipeline() {
        return pipeline;
    }

    @Override
    public void close() {
        try {
            pipeline.close();
        } finally {
            backend.close();
            kafka.deleteTopics(topics.all());
        }
    }
}
