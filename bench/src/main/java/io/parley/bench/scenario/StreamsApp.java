package io.parley.bench.scenario;

import io.parley.bench.pipeline.ProcessingGuarantee;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * A Kafka Streams application a scenario measures (the pass-through ceiling, the synchronous
 * baseline), started and stopped around the load.
 */
final class StreamsApp implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;

    private StreamsApp(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * Starts the topology and returns once it is RUNNING, i.e. its tasks are assigned and the
     * first turn will be processed rather than wait for a rebalance.
     */
    static StreamsApp start(Topology topology, Properties properties) throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(topology, properties);
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            failure.set(e);
            running.countDown();
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        if (!running.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || failure.get() != null) {
            streams.close(CLOSE_TIMEOUT);
            throw new IllegalStateException("The streams application " + properties.get(StreamsConfig.APPLICATION_ID_CONFIG)
                    + " did not reach RUNNING within " + START_TIMEOUT
                    + (failure.get() == null ? "" : ": " + failure.get().getMessage()), failure.get());
        }
        return new StreamsApp(streams);
    }

    /** The Streams settings of a bench application; anything not set here is Kafka's default. */
    static Properties properties(String applicationId, Map<String, Object> clientConfig, ProcessingGuarantee guarantee,
                                 int streamThreads, Path stateDirectory) {
        Properties properties = new Properties();
        properties.putAll(clientConfig);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee.configValue());
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        properties.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        return properties;
    }

    /**
     * Fails when the application stopped running during the load (a crashed stream thread
     * would leave turns unanswered and the figures meaningless).
     */
    void requireRunning() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new IllegalStateException("The streams application stopped during the load; it is " + state);
        }
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
        // The state folder belongs to this run only; leaving it would fill the disk over many runs.
        streams.cleanUp();
    }
}
