package io.parley.processor;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.reload.FlowTopicReader;
import io.parley.processor.reload.FlowVersions;
import io.parley.processor.ops.ConnectorCatalogCheck;
import io.parley.processor.telemetry.RuleCallContracts;
import io.parley.processor.flow.CatalogContracts;
import io.parley.processor.ops.CoPartitioningCheck;
import io.parley.processor.ops.TableTopicsCheck;
import io.parley.processor.ops.FlowGraphHandler;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RecordLimitsCheck;
import io.parley.processor.ops.RocksDbMemory;
import io.parley.processor.ops.ScrapeSafeKafkaStreams;
import io.parley.processor.ops.SessionLookupHandler;
import io.parley.processor.ops.StateRestoreMetrics;
import io.parley.processor.config.StreamsGroupSettings;
import io.parley.runtime.AdminServer;
import io.parley.runtime.access.AccessControl;
import io.parley.runtime.access.Role;
import io.parley.runtime.tracing.Tracing;
import io.parley.topics.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
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
 */
public final class ParleyProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ParleyProcessor.class);
    private static final Duration STARTUP_CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final PrometheusMeterRegistry registry;
    private final KafkaStreamsMetrics streamsMetrics;
    private final RocksDbMemory memory;
    private final AdminServer admin;
    private final CloseOptions.GroupMembershipOperation onClose;
    private final Tracing tracing;
    private final Object stateChanged = new Object();
    /** The reader of published flows (flows.source: topic), else nothing. */
    private AutoCloseable flowReader = () -> { };
    private boolean closed;

    private ParleyProcessor(KafkaStreams streams, PrometheusMeterRegistry registry, KafkaStreamsMetrics streamsMetrics,
                            RocksDbMemory memory, AdminServer admin, CloseOptions.GroupMembershipOperation onClose,
                            Tracing tracing) {
        this.tracing = tracing;
        this.streams = streams;
        this.registry = registry;
        this.streamsMetrics = streamsMetrics;
        this.memory = memory;
        this.admin = admin;
        this.onClose = onClose;
    }

    /**
     * A dynamic member that stays in the group on close holds its partitions until its session
     * times out, and a restart waits that long; it leaves instead. A static member (an instance id)
     * stays, so a rolling restart moves no partitions, unless told to leave (scale-in).
     */
    static CloseOptions.GroupMembershipOperation membershipOnClose(Map<String, Object> streamsProperties,
                                                                    boolean staticMemberLeaves) {
        boolean isStatic = streamsProperties.containsKey(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
                || streamsProperties.containsKey(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
                || streamsProperties.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return isStatic && !staticMemberLeaves
                ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                : CloseOptions.GroupMembershipOperation.LEAVE_GROUP;
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
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FlowCatalog flows;
        FlowVersions versions;
        FlowTopicReader reader = null;
        int conversationPartitions;
        try {
            if (config.flowSettings().fromTopic()) {
                java.util.concurrent.atomic.AtomicReference<FlowCatalog> started = new java.util.concurrent.atomic.AtomicReference<>();
                versions = publishedVersions(config, registry, started);
                reader = flowReader(config, versions);
                reader.start();
                flows = reader.awaitFirst(config.flowSettings().maxWait());
                // From here on, versions must fit the topology built with these flows (and are checked like a start).
                started.set(flows);
            } else {
                flows = ProcessorWiring.flows(config);
                versions = FlowVersions.fixed(flows);
            }
            conversationPartitions = checkTopics(config, flows);
            checkConnectorCatalog(config, flows);
        } catch (RuntimeException e) {
            if (reader != null) {
                reader.close();
            }
            tracing.close();
            throw e;
        }
        ParleyProcessor processor = start(config, flows, versions, tracing, registry, conversationPartitions);
        if (reader != null) {
            processor.flowReader = reader;
        }
        return processor;
    }

    /**
     * The versions of a published flow set. Once the processor has started with {@code first}, every later version
     * must read the same reference tables (global stores of the topology, which a running processor cannot change)
     * and pass the connector catalog check.
     */
    private static FlowVersions publishedVersions(ProcessorConfig config, PrometheusMeterRegistry registry,
                                                  java.util.concurrent.atomic.AtomicReference<FlowCatalog> first) {
        Map<String, Object> catalogConsumer = new StreamsConfig(ProcessorWiring.connectionProperties(config))
                .getGlobalConsumerConfigs(config.applicationId() + "-connector-catalog");
        Topics topics = Topics.create(config.topics(), config.schemaRegistry());
        return FlowVersions.changing(config.flowSettings().keepVersions(), java.util.List.of(flows -> {
            FlowCatalog initial = first.get();
            if (initial != null && !initial.tables().equals(flows.tables())) {
                throw new IllegalStateException("it declares the tables " + flows.tables().keySet() + " but this processor reads "
                        + initial.tables().keySet() + " (as published when it started); a change of tables needs a restart");
            }
            if (initial != null) {
                // The start's version is checked by the start (checkConnectorCatalog), later ones here, against the catalog of now.
                ConnectorCatalogCheck.verifyPublished(flows, catalogConsumer, topics.connectorCatalog(), config.connectorCatalog().maxWait());
            }
        }), registry);
    }

    /** The reader of the configured flow set on {@code topics.flows}, feeding {@code versions}. */
    private static FlowTopicReader flowReader(ProcessorConfig config, FlowVersions versions) {
        Map<String, Object> consumerProps = new StreamsConfig(ProcessorWiring.connectionProperties(config))
                .getGlobalConsumerConfigs(config.applicationId() + "-flows");
        Topics topics = Topics.create(config.topics(), config.schemaRegistry());
        return new FlowTopicReader(consumerProps, topics.flows(), config.flowSettings().set().orElseThrow(),
                ProcessorWiring.flowLoader(config), versions);
    }

    private static ParleyProcessor start(ProcessorConfig config, FlowCatalog flows, FlowVersions versions, Tracing tracing,
                                         PrometheusMeterRegistry registry, int conversationPartitions) {
        ProcessorMetrics metrics = new ProcessorMetrics(registry);
        RocksDbMemory memory = new RocksDbMemory(config.rocksDb());
        KafkaStreams streams = null;
        KafkaStreamsMetrics streamsMetrics;
        AdminServer admin;
        Map<String, Object> streamsProperties;
        try {
            streamsProperties = ProcessorWiring.streamsProperties(config, metrics, memory);
            Topology topology = ProcessorWiring.topology(config, flows, versions, metrics, streamsProperties, tracing,
                    conversationPartitions);
            Properties props = new Properties();
            props.putAll(streamsProperties);
            streams = new ScrapeSafeKafkaStreams(topology, props);
            streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
            admin = startAdmin(config, registry, streams, metrics, flows);
        } catch (RuntimeException e) {
            if (streams != null) {
                streams.close();
            }
            memory.close();
            tracing.close();
            throw e;
        }
        ParleyProcessor processor = new ParleyProcessor(streams, registry, streamsMetrics, memory, admin,
                membershipOnClose(streamsProperties, config.membership().leaveGroupOnShutdown()), tracing);
        streams.setStateListener(processor::onStateChange);
        streams.setGlobalStateRestoreListener(new StateRestoreMetrics(registry));
        streams.setUncaughtExceptionHandler(exception -> {
            // Record-level failures are handled (dead-letter topic); what reaches here is not, so stop
            // and let the orchestrator restart the instance rather than loop on it.
            LOG.error("A stream thread failed; the processor stops", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        LOG.info("Parley processor {} started with flows {}; admin endpoint at {}", config.applicationId(), flows.version(),
                admin.baseUrl());
        return processor;
    }

    private static AdminServer startAdmin(ProcessorConfig config, PrometheusMeterRegistry registry, KafkaStreams streams,
                                          ProcessorMetrics metrics, FlowCatalog flows) {
        AdminServer.Builder builder = AdminServer.builder(registry)
                .host(config.admin().host())
                .port(config.admin().port())
                // RUNNING is not enough: a stream thread stuck on one record stops its partitions all the same.
                .readiness(() -> streams.state() == KafkaStreams.State.RUNNING
                        && !metrics.progress().stalled(config.limits().stalledAfter()));
        AccessControl access = AccessControl.of(config.access(), java.time.Clock.systemUTC()).countRefusals(registry);
        builder.access(access);
        // Viewers see the flows; open while no credential is configured, as before roles existed.
        builder.route(FlowGraphHandler.PATH, Role.VIEWER, new FlowGraphHandler(flows));
        // Sessions hold personal data in clear: operators only (viewers get 403, see docs/rbac.md); off without credentials.
        if (access.configured()) {
            builder.route(SessionLookupHandler.PATH, Role.OPERATOR, new SessionLookupHandler(streams, applicationServer(config)));
        }
        return builder.start();
    }

    /** @return the partition count of {@code chat.events} */
    private static int checkTopics(ProcessorConfig config, FlowCatalog flows) {
        // The same connection settings (TLS, SASL, config providers) Kafka Streams' own admin client uses.
        Map<String, Object> adminProps = new StreamsConfig(ProcessorWiring.connectionProperties(config))
                .getAdminConfigs(config.applicationId() + "-startup-check");
        try (Admin admin = Admin.create(adminProps)) {
            int conversationPartitions = new CoPartitioningCheck(admin, STARTUP_CHECK_TIMEOUT)
                    .verify(config.topics().chatEvents(), config.topics().backendResponses());
            Set<String> replyTopics = new LinkedHashSet<>(config.replyRoutes().routes().values());
            replyTopics.add(config.replyRoutes().defaultTopic());
            new RecordLimitsCheck(admin, STARTUP_CHECK_TIMEOUT).verify(config.limits(), config.inputs(),
                    new RecordLimitsCheck.Targets(config.source(), ProcessorWiring.connectionProperties(config),
                            config.topics().backendRequests(), replyTopics, config.topics().audit(), config.topics().deadLetters()));
            new TableTopicsCheck(admin, STARTUP_CHECK_TIMEOUT).verify(flows.tables().values());
            // Under the streams rebalance protocol the session, heartbeat and standbys are group configs on the broker.
            StreamsGroupSettings.apply(admin, config.applicationId(), config.membership(), config.kafka(), STARTUP_CHECK_TIMEOUT);
            return conversationPartitions;
        }
    }

    /** The flows' templates against the response schemas connectors workers published (issue 16). */
    private static void checkConnectorCatalog(ProcessorConfig config, FlowCatalog flows) {
        // The same connection settings (TLS, SASL, config providers) as Kafka Streams' own clients; no group is joined.
        Map<String, Object> consumerProps = new StreamsConfig(ProcessorWiring.connectionProperties(config))
                .getGlobalConsumerConfigs(config.applicationId() + "-connector-catalog");
        Topics topics = Topics.create(config.topics(), config.schemaRegistry());
        ConnectorCatalogCheck.Catalog catalog = ConnectorCatalogCheck.verify(config.source(), config.connectorCatalog(), flows,
                consumerProps, topics.connectorCatalog());
        // The trigger rules' calls too: the catalog is not known when the rules file is read.
        RuleCallContracts.verify(ProcessorWiring.rules(config), CatalogContracts.operations(catalog.records().values()),
                topics.connectorCatalog().name());
    }

    private static HostInfo applicationServer(ProcessorConfig config) {
        String server = config.kafka().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return server == null || server.isBlank() ? null : HostInfo.buildFromEndpoint(server);
    }

    private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        LOG.info("Processor state {} -> {}", oldState, newState);
        synchronized (stateChanged) {
            stateChanged.notifyAll();
        }
    }

    /**
     * Waits until the processor runs (all its tasks assigned and restored).
     *
     * @return {@code true} when running, {@code false} when the time ran out
     * @throws IllegalStateException when the processor stopped or failed instead
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateChanged) {
            while (true) {
                KafkaStreams.State state = streams.state();
                if (state == KafkaStreams.State.RUNNING) {
                    return true;
                }
                if (!state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) {
                    throw new IllegalStateException("The processor did not start: it is " + state + " (see the log)");
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(stateChanged, remaining);
            }
        }
    }

    /**
     * Waits until the processor stops (closed, or failed).
     *
     * @return {@code true} when it stopped cleanly, {@code false} when it failed
     */
    public boolean awaitTermination() throws InterruptedException {
        synchronized (stateChanged) {
            while (streams.state() != KafkaStreams.State.NOT_RUNNING && streams.state() != KafkaStreams.State.ERROR) {
                stateChanged.wait();
            }
            return streams.state() == KafkaStreams.State.NOT_RUNNING;
        }
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
        try {
            flowReader.close();
        } catch (Exception e) {
            LOG.warn("Closing the reader of published flows failed", e);
        }
        streams.close(CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(onClose));
        streamsMetrics.close();
        admin.close();
        // RocksDB's shared memory is released only after every store is closed.
        memory.close();
        registry.close();
        // After the streams: the spans of the last turns are flushed to the collector.
        tracing.close();
        synchronized (stateChanged) {
            stateChanged.notifyAll();
        }
        LOG.info("Parley processor stopped");
    }
}
