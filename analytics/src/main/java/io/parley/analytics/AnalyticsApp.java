package io.parley.analytics;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.analytics.config.AnalyticsConfig;
import io.parley.analytics.ops.AnalyticsMetrics;
import io.parley.analytics.ops.StatsTopic;
import io.parley.analytics.topology.AnalyticsTopology;
import io.parley.processor.ops.RocksDbNativeLibrary;
import io.parley.runtime.AdminServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running analytics application: Kafka Streams, its metrics and the admin endpoint. */
public final class AnalyticsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final AdminServer admin;
    private final Object stateChanged = new Object();

    private AnalyticsApp(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, AdminServer admin) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.admin = admin;
    }

    /** Kafka Streams' settings: the {@code kafka:} section over Parley's defaults, explicit naming always. */
    public static Map<String, Object> streamsProperties(AnalyticsConfig config) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, AnalyticsConfig.DEFAULT_APPLICATION_ID);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        props.put(StreamsConfig.consumerPrefix("isolation.level"), "read_committed");
        props.putAll(config.kafka());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        return props;
    }

    /**
     * Makes sure the stats topic exists and is compacted, then starts processing and the admin endpoint.
     *
     * @throws org.apache.kafka.common.config.ConfigException when the stats topic exists but is not compacted
     */
    public static AnalyticsApp start(AnalyticsConfig config) {
        Map<String, Object> streamsProperties = streamsProperties(config);
        // Beside the topic check and the set-up below; Kafka Streams' first store waits for it if it is not done by then.
        RocksDbNativeLibrary.loadInBackground(streamsProperties);
        try (Admin kafkaAdmin = Admin.create(new StreamsConfig(streamsProperties).getAdminConfigs(config.applicationId() + "-startup"))) {
            StatsTopic.ensureCompacted(kafkaAdmin, config.statsTopic());
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AnalyticsMetrics metrics = new AnalyticsMetrics(registry);
        Properties props = new Properties();
        props.putAll(streamsProperties);
        KafkaStreams streams = new KafkaStreams(AnalyticsTopology.build(config, metrics), props);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        AdminServer admin;
        try {
            admin = AdminServer.builder(registry).host(config.adminHost()).port(config.adminPort())
                    .readiness(() -> streams.state() == KafkaStreams.State.RUNNING).start();
        } catch (RuntimeException e) {
            streams.close();
            throw e;
        }
        AnalyticsApp app = new AnalyticsApp(streams, streamsMetrics, admin);
        streams.setStateListener((newState, oldState) -> {
            LOG.info("Analytics state {} -> {}", oldState, newState);
            synchronized (app.stateChanged) {
                app.stateChanged.notifyAll();
            }
        });
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("A stream thread failed; the analytics stop", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        LOG.info("Parley analytics {} started for bots {}; stats on {}; admin endpoint at {}", config.applicationId(),
                config.botTopics().keySet(), config.statsTopic(), admin.baseUrl());
        return app;
    }

    public String adminUrl() {
        return admin.baseUrl();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Waits until the application stops; {@code true} when it was closed, {@code false} when it failed. */
    public boolean awaitTermination() throws InterruptedException {
        synchronized (stateChanged) {
            while (streams.state() != KafkaStreams.State.NOT_RUNNING && streams.state() != KafkaStreams.State.ERROR) {
                stateChanged.wait();
            }
            return streams.state() == KafkaStreams.State.NOT_RUNNING;
        }
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
        streamsMetrics.close();
        admin.close();
    }
}
