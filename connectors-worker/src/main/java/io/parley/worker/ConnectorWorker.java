package io.parley.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.runtime.AdminServer;
import io.parley.topics.Topics;
import io.parley.worker.WorkerConfig.ConnectorSource;
import io.parley.worker.kafka.RequestConsumption;
import io.parley.worker.kafka.WorkerMetrics;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running connectors worker: consumes {@code BackendRequest}s, calls the backends, produces
 * {@code BackendResponse}s, and serves {@code /metrics}, {@code /health/live} and
 * {@code /health/ready}. Embeddable (local mode, benchmarks):
 *
 * <pre>{@code
 * try (ConnectorWorker worker = ConnectorWorker.start(WorkerConfig.load(Path.of("worker.yaml")))) {
 *     ...
 * }
 * }</pre>
 */
public final class ConnectorWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorWorker.class);

    private final Connectors connectors;
    private final RequestConsumption consumption;
    private final AdminServer admin;
    private final PrometheusMeterRegistry meters;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ConnectorWorker(Connectors connectors, RequestConsumption consumption, AdminServer admin,
                            PrometheusMeterRegistry meters) {
        this.connectors = connectors;
        this.consumption = consumption;
        this.admin = admin;
        this.meters = meters;
    }

    /**
     * Reads the connector definitions, then starts consuming and the admin endpoint.
     *
     * @throws org.apache.kafka.common.config.ConfigException when a connector definition is invalid
     */
    public static ConnectorWorker start(WorkerConfig config) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        Connectors connectors = connectors(config, meters);
        RequestConsumption consumption = null;
        try {
            Topics topics = Topics.create(config.topics(), config.schemaRegistry());
            consumption = RequestConsumption.start(config, connectors, topics, meters);
            AdminServer admin = null;
            if (config.adminEnabled()) {
                RequestConsumption running = consumption;
                admin = AdminServer.builder(meters).host(config.adminHost()).port(config.adminPort())
                        .readiness(running::isRunning).start();
                LOG.info("Worker admin endpoint on {}", admin.baseUrl());
            }
            return new ConnectorWorker(connectors, consumption, admin, meters);
        } catch (RuntimeException e) {
            if (consumption != null) {
                consumption.close();
            }
            connectors.close();
            throw e;
        }
    }

    private static Connectors connectors(WorkerConfig config, MeterRegistry meters) {
        Connectors.Builder builder = Connectors.builder()
                .meterRegistry(meters)
                .maxResponseBytes(config.maxResponseBytes());
        for (ConnectorSource source : config.connectorSources()) {
            if (source.file() != null) {
                builder.file(source.file());
            } else {
                builder.yaml(source.name(), source.yaml());
            }
        }
        return builder.build();
    }

    /** The connectors this worker calls (also usable directly, without Kafka). */
    public Connectors connectors() {
        return connectors;
    }

    /** The admin endpoint's port, when it runs. */
    public Optional<Integer> adminPort() {
        return Optional.ofNullable(admin).map(AdminServer::port);
    }

    public MeterRegistry meterRegistry() {
        return meters;
    }

    /** Counts of received, answered and skipped records. */
    public WorkerMetrics metrics() {
        return consumption.metrics();
    }

    /** Whether the consumer loops run (what {@code /health/ready} reports). */
    public boolean isRunning() {
        return !closed.get() && consumption.isRunning();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops cleanly: no more polling, in-flight calls finish within the shutdown timeout and their
     * records are acknowledged, the rest are released to other workers, then everything closes.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            consumption.close();
            connectors.close();
            if (admin != null) {
                admin.close();
            }
            meters.close();
        } finally {
            stopped.countDown();
        }
    }
}
