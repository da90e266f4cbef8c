package io.parley.local;

import io.parley.demo.DemoDevices;
import io.parley.demo.DemoStock;
import io.parley.processor.ParleyProcessor;
import io.parley.runtime.Secret;
import io.parley.topics.Topics;
import io.parley.worker.ConnectorWorker;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley itself on local mode's stack: the processor (demo shop flows, the console channel routed
 * to its reply topic) and a connectors worker (share group, demo shop connectors). Both are
 * registered with the stack as they start, so closing the stack stops the worker, then the
 * processor, then the demo shop, the registry and the broker.
 */
public final class LocalParley {

    /** How long the processor may take to get its tasks (a restart restores state from the data folder). */
    static final Duration PROCESSOR_START_TIMEOUT = Duration.ofSeconds(90);

    /** How long to wait for the worker's first assignment before the console opens. */
    static final Duration WORKER_READY_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(LocalParley.class);

    private final ParleyProcessor processor;
    private final ConnectorWorker worker;
    private final LocalSecret adminToken;
    private final Optional<Secret> auditKey;

    private LocalParley(ParleyProcessor processor, ConnectorWorker worker, LocalSecret adminToken,
                        Optional<Secret> auditKey) {
        this.processor = processor;
        this.worker = worker;
        this.adminToken = adminToken;
        this.auditKey = auditKey;
    }

    /** The processor's audit pseudonym key, when user ids in the audit stream are pseudonymised (the gateway uses it too). */
    public Optional<Secret> auditKey() {
        return auditKey;
    }

    /**
     * Starts the processor, waits until it runs, then starts the worker. When this fails, what
     * started is already registered with the stack: closing the stack stops it.
     *
     * @throws IllegalStateException when the processor does not run in time
     */
    public static LocalParley start(LocalStack stack, ServiceSettings settings) throws InterruptedException {
        DataDirectory data = stack.data();
        LocalSecret token = LocalSecret.perRun(ServiceSettings.ADMIN_TOKEN_VARIABLE, settings.environment(), data.adminToken());
        Optional<Secret> auditKey = settings.pseudonymizeAudit()
                ? Optional.of(LocalSecret.kept(ServiceSettings.AUDIT_KEY_VARIABLE, settings.environment(), data.auditKey()).value())
                : Optional.empty();
        // Before the processor starts: its device table (a global store) is loaded to the end before it processes anything.
        DemoDevices.publish(stack.bootstrapServers(), Topics.create(stack.settings().topics(), stack.serdeConfig()).iotDevices());
        // Likewise the live stock table: the demo shop database's rows, as at every start (the database starts from its seed).
        DemoStock.publish(stack.bootstrapServers(), stack.shopDatabase().dataSource());
        ParleyProcessor processor = stack.closeWithStack(ParleyProcessor.start(LocalProcessorConfig.of(
                stack, LocalPorts.preferredOrFree(settings.processorAdminPort()), token.value(), auditKey)));
        if (!processor.awaitRunning(PROCESSOR_START_TIMEOUT)) {
            throw new IllegalStateException("The processor did not start within " + PROCESSOR_START_TIMEOUT.toSeconds()
                    + " s (see the log in " + data.logFile() + ")");
        }
        ConnectorWorker worker = stack.closeWithStack(ConnectorWorker.start(
                LocalWorkerConfig.of(stack, LocalPorts.preferredOrFree(settings.workerAdminPort()))));
        awaitWorker(stack);
        return new LocalParley(processor, worker, token, auditKey);
    }

    /** Not fatal when it takes longer: requests wait in their topic until the worker takes them. */
    private static void awaitWorker(LocalStack stack) throws InterruptedException {
        try (Admin admin = stack.kafka().admin()) {
            if (!WorkerReadiness.await(admin, LocalStack.WORKER_GROUP_ID, stack.settings().topics().backendRequests(),
                    WORKER_READY_TIMEOUT)) {
                LOG.warn("The worker's share group has not taken all request partitions after {} s; the first replies may be late",
                        WORKER_READY_TIMEOUT.toSeconds());
            }
        }
    }

    public ParleyProcessor processor() {
        return processor;
    }

    public ConnectorWorker worker() {
        return worker;
    }

    /** {@code http://127.0.0.1:port} of the processor's admin endpoint: metrics, health, session lookup. */
    public String processorAdminUrl() {
        return processor.adminUrl();
    }

    /** {@code http://127.0.0.1:port} of the worker's admin endpoint: metrics and health. */
    public String workerAdminUrl() {
        return "http://" + LocalPorts.host() + ":" + worker.adminPort().orElseThrow();
    }

    /** The session lookup's bearer token, and how a shell command refers to it. */
    public LocalSecret adminToken() {
        return adminToken;
    }
}
