package io.parley.processor;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.processor.config.ProcessorConfig;
import io.parley.runtime.AdminServer;
import io.parley.runtime.tracing.Tracing;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Parley processor: Kafka Streams with the conversation topology, its metrics and its
 * admin endpoint. This is the API the command line, the local mode and the benchmark use:
 *
 * <pre>{@code
 * ProcessorConfig config = ProcessorConfig.load(Path.of("processor.yaml")).toBuilder()
 *         .kafka("bootstrap.servers", broker.bootstrapServers())
 *         .adminPort(0)
 *         .build();
 * try (ParleyProcessor processor = ParleyProcessor.start(config)) {
 *     processor.awaitRunning(Duration.ofSeconds(60));
 *     System.out.println("metrics at " + processor.adminUrl() + "/metrics");
 * }
 * }</pre>
 *
 * {@link ProcessorAssembler} builds it; it only runs and stops what was built.
 */
public final class ParleyProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ParleyProcessor.class);

    private final KafkaStreams streams;
    private final StreamsStateWatch state;
    private final PrometheusMeterRegistry registry;
    private final AdminServer admin;
    private final ShutdownSequence shutdown;
    private boolean closed;

    ParleyProcessor(KafkaStreams streams, StreamsStateWatch state, PrometheusMeterRegistry registry, AdminServer admin,
                    ShutdownSequence shutdown) {
        this.streams = streams;
        this.state = state;
        this.registry = registry;
        this.admin = admin;
        this.shutdown = shutdown;
    }

    /**
     * Checks the configuration, the flows and the topics, then starts processing and the admin
     * endpoint. Returns once Kafka Streams is starting; {@link #awaitRunning(Duration)} waits for it.
     *
     * @throws org.apache.kafka.common.config.ConfigException when the configuration or a flow file is wrong
     * @throws io.parley.processor.ops.ProcessorStartupException when the topics are missing or not co-partitioned
     */
    public static ParleyProcessor start(ProcessorConfig config) {
        return start(config, Tracing.start(config.tracing()));
    }

    /**
     * Starts with this tracing (tests hand in one that exports to memory); the processor closes it.
     *
     * @throws org.apache.kafka.common.config.ConfigException when the configuration or a flow file is wrong
     * @throws io.parley.processor.ops.ProcessorStartupException when the topics are missing or not co-partitioned
     */
    public static ParleyProcessor start(ProcessorConfig config, Tracing tracing) {
        return ProcessorAssembler.start(config, tracing, StartTimeline.startingNow());
    }

    /** Starts as {@link #start(ProcessorConfig)}, logging its steps on a timeline begun before (by the main). */
    static ParleyProcessor start(ProcessorConfig config, StartTimeline timeline) {
        Tracing tracing = Tracing.start(config.tracing());
        timeline.step("tracing started");
        return ProcessorAssembler.start(config, tracing, timeline);
    }

    /**
     * Waits until the processor runs (all its tasks assigned and restored).
     *
     * @return {@code true} when running, {@code false} when the time ran out
     * @throws IllegalStateException when the processor stopped or failed instead
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return state.awaitRunning(timeout);
    }

    /**
     * Waits until the processor stops (closed, or failed).
     *
     * @return {@code true} when it stopped cleanly, {@code false} when it failed
     */
    public boolean awaitTermination() throws InterruptedException {
        return state.awaitTermination();
    }

    /** The exception that stopped the processor, if a stream thread failed (empty while it runs or after a clean stop). */
    public Optional<Throwable> failure() {
        return state.failure();
    }

    /** Whether the processor is processing (Kafka Streams RUNNING). */
    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** {@code http://host:port} of the admin endpoint (metrics, health, session lookup). */
    public String adminUrl() {
        return admin.baseUrl();
    }

    /** The registry behind {@code /metrics}. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** Stops processing (committing what was processed), then the admin endpoint; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Parley processor stopping");
        shutdown.close();
        state.wakeWaiters();
        LOG.info("Parley processor stopped");
    }
}
