package io.parley.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.runtime.AdminServer;
import io.parley.runtime.access.AccessControl;
import io.parley.runtime.tracing.Tracing;
import io.parley.topics.Topics;
import io.parley.worker.kafka.CatalogPublisher;
import io.parley.worker.kafka.RequestConsumption;
import io.parley.worker.kafka.ResponseRecordLimit;
import io.parley.worker.http.JdkHttpClientProperties;
import io.parley.worker.kafka.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigException;
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
    private static final Duration LIMIT_LOOKUP_TIMEOUT = Duration.ofSeconds(30);
    /** How long one publication of the connector catalog may take (topic check and sends). */
    private static final Duration CATALOG_TIMEOUT = Duration.ofSeconds(15);

    private final Connectors connectors;
    private final ConnectorReloader reloader;
    private final CatalogPublisher catalog;
    private final RequestConsumption consumption;
    private final AdminServer admin;
    private final PrometheusMeterRegistry meters;
    private final Tracing tracing;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ConnectorWorker(Connectors connectors, ConnectorReloader reloader, CatalogPublisher catalog,
                            RequestConsumption consumption, AdminServer admin, PrometheusMeterRegistry meters, Tracing tracing) {
        this.tracing = tracing;
        this.catalog = catalog;
        this.connectors = connectors;
        this.reloader = reloader;
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
        // Before any JDK HttpClient exists: the OTLP exporter sends with one, and the client reads its settings once.
        JdkHttpClientProperties.apply();
        return start(config, Tracing.start(config.tracing()));
    }

    /**
     * Starts with this tracing (tests hand in one that exports to memory); the worker closes it.
     *
     * @throws org.apache.kafka.common.config.ConfigException when a connector definition is invalid
     */
    public static ConnectorWorker start(WorkerConfig config, Tracing tracing) {
        try {
            return startTraced(config, tracing);
        } catch (RuntimeException e) {
            tracing.close();
            throw e;
        }
    }

    private static ConnectorWorker startTraced(WorkerConfig config, Tracing tracing) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        Topics topics = Topics.create(config.topics(), config.schemaRegistry());
        ResponseRecordLimit limit = ResponseRecordLimit.read(config, topics.backendResponses().name(), LIMIT_LOOKUP_TIMEOUT);
        long maxResponseBytes = workerMaxResponseBytes(config, limit);
        Connectors connectors = connectors(config, meters, maxResponseBytes);
        RequestConsumption consumption = null;
        ConnectorReloader reloader = null;
        CatalogPublisher catalog = null;
        try {
            checkOwnResponseSizes(connectors, limit);
            catalog = new CatalogPublisher(config, topics.connectorCatalog(), meters, CATALOG_TIMEOUT, Clock.systemUTC());
            // Before the first request is taken: a processor starting next to this worker finds the catalog.
            catalog.publish(connectors);
            reloader = new ConnectorReloader(connectors, config.connectorSources(),
                    () -> builder(meters, maxResponseBytes), next -> checkOwnResponseSizes(next, limit), meters)
                    .onApplied(catalog::publish);
            consumption = RequestConsumption.start(config, connectors, topics, meters, limit, tracing);
            AdminServer admin = null;
            if (config.adminEnabled()) {
                RequestConsumption running = consumption;
                admin = AdminServer.builder(meters).host(config.adminHost()).port(config.adminPort())
                        .access(AccessControl.of(config.access(), java.time.Clock.systemUTC()).countRefusals(meters))
                        .readiness(running::isReady).start();
                LOG.info("Worker admin endpoint on {}", admin.baseUrl());
            }
            if (config.connectorReload().enabled()) {
                reloader.start(config.connectorReload().interval());
                LOG.info("Connector files are checked for changes every {}", config.connectorReload().interval());
            }
            return new ConnectorWorker(connectors, reloader, catalog, consumption, admin, meters, tracing);
        } catch (RuntimeException e) {
            if (reloader != null) {
                reloader.close();
            }
            if (catalog != null) {
                catalog.close();
            }
            if (consumption != null) {
                consumption.close();
            }
            connectors.close();
            throw e;
        }
    }

    /**
     * The largest answer of connectors without their own setting: the configured one when it fits a
     * response record, else (left at its default) what fits.
     *
     * @throws ConfigException naming the worker file and the key when a configured value does not fit
     */
    static long workerMaxResponseBytes(WorkerConfig config, ResponseRecordLimit limit) {
        if (config.maxResponseBytes() <= limit.maxAnswerBytes()) {
            return config.maxResponseBytes();
        }
        if (config.maxResponseBytesSet()) {
            throw new ConfigException(config.source() + ": " + WorkerConfig.MAX_RESPONSE_BYTES + ": " + config.maxResponseBytes()
                    + " bytes does not fit a response record: " + limit.describe() + "; set it to at most "
                    + limit.maxAnswerBytes() + ", or raise those limits");
        }
        if (limit.maxAnswerBytes() < 1) {
            throw new ConfigException(config.source() + ": " + WorkerConfig.KAFKA + ": no backend answer fits a response record: "
                    + limit.describe());
        }
        LOG.info("Backend answers are capped at {} bytes so that they fit a response record ({})", limit.maxAnswerBytes(),
                limit.describe());
        return limit.maxAnswerBytes();
    }

    /** @throws ConfigException naming the connector file, the connector and the field of a setting that does not fit */
    static void checkOwnResponseSizes(Connectors connectors, ResponseRecordLimit limit) {
        for (Connectors.ResponseSizeSetting setting : connectors.ownResponseSizes()) {
            if (setting.maxResponseBytes() > limit.maxAnswerBytes()) {
                throw new ConfigException(setting.where() + ": " + setting.maxResponseBytes()
                        + " bytes does not fit a response record: " + limit.describe() + "; set it to at most "
                        + limit.maxAnswerBytes() + ", or raise those limits");
            }
        }
    }

    private static Connectors.Builder builder(MeterRegistry meters, long maxResponseBytes) {
        return Connectors.builder().meterRegistry(meters).maxResponseBytes(maxResponseBytes);
    }

    private static Connectors connectors(WorkerConfig config, MeterRegistry meters, long maxResponseBytes) {
        return builder(meters, maxResponseBytes).sources(config.connectorSources()).build();
    }

    /** The connectors this worker calls (also usable directly, without Kafka). */
    public Connectors connectors() {
        return connectors;
    }

    /** The admin endpoint's port, when it runs. */
    public Optional<Integer> adminPort() {
        return Optional.ofNullable(admin).map(AdminServer::port);
    }

    /** Checks the connector files for a change now (the schedule does it every {@code connectorReload.interval}). */
    public ConnectorReloader.Outcome reloadConnectors() {
        return reloader.checkNow();
    }

    public MeterRegistry meterRegistry() {
        return meters;
    }

    /** Counts of received, answered and skipped records. */
    public WorkerMetrics metrics() {
        return consumption.metrics();
    }

    /** Whether the consumer loops run. */
    public boolean isRunning() {
        return !closed.get() && consumption.isRunning();
    }

    /** Whether the worker can take requests: its loops run and Kafka is reachable (what {@code /health/ready} reports). */
    public boolean isReady() {
        return !closed.get() && consumption.isReady();
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
            reloader.close();
            catalog.close();
            consumption.close();
            connectors.close();
            if (admin != null) {
                admin.close();
            }
            meters.close();
            tracing.close();
        } finally {
            stopped.countDown();
        }
    }
}
