package io.parley.processor;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.processor.ShutdownSequence.Part;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.config.StreamsGroupSettings;
import io.parley.processor.flow.CatalogContracts;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.ops.ConnectorCatalogCheck;
import io.parley.processor.ops.CoPartitioningCheck;
import io.parley.processor.ops.FlowGraphHandler;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RecordLimitsCheck;
import io.parley.processor.ops.RocksDbMemory;
import io.parley.processor.ops.RocksDbNativeLibrary;
import io.parley.processor.ops.ScrapeSafeKafkaStreams;
import io.parley.processor.ops.SessionLookupHandler;
import io.parley.processor.ops.StateRestoreMetrics;
import io.parley.processor.ops.TableTopicsCheck;
import io.parley.processor.reload.FlowTopicReader;
import io.parley.processor.reload.FlowVersions;
import io.parley.processor.telemetry.RuleBook;
import io.parley.processor.telemetry.RuleCallContracts;
import io.parley.runtime.AdminServer;
import io.parley.runtime.access.AccessControl;
import io.parley.runtime.access.Role;
import io.parley.runtime.tracing.Tracing;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import io.parley.schemas.ConnectorCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a running {@link ParleyProcessor} from its typed configuration in one pass: the meter registry, the
 * flows (from files, or from {@code topics.flows} with the reader that keeps them current), the start-up checks
 * (topics, record limits, reference tables, connector catalog), the stores' memory, the Streams properties, the
 * topology, Kafka Streams and its metrics, the admin endpoint, then the start. Each part is built once, from the
 * configuration and the parts before it, and registered with the {@link ShutdownSequence} as soon as it exists,
 * so a failed start closes what was built and the processor's close stops everything in a fixed order.
 * Nothing it builds calls back into it.
 */
final class ProcessorAssembler {

    /** The processor's own logger category: its start line is the one operators look for. */
    private static final Logger LOG = LoggerFactory.getLogger(ParleyProcessor.class);
    private static final Duration STARTUP_CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ProcessorConfig config;
    private final Tracing tracing;
    private final StartTimeline timeline;
    private final ShutdownSequence shutdown = new ShutdownSequence();
    /** The same connection settings (TLS, SASL, config providers) as Kafka Streams' own clients. */
    private final Map<String, Object> connection;
    /** Made when first needed (as before: a schema registry setting is checked after the flow files). */
    private Topics topics;

    private ProcessorAssembler(ProcessorConfig config, Tracing tracing, StartTimeline timeline) {
        this.config = config;
        this.tracing = tracing;
        this.timeline = timeline;
        this.connection = Collections.unmodifiableMap(ProcessorWiring.connectionProperties(config));
    }

    /**
     * Builds and starts a processor; on failure closes what was built (and {@code tracing}) and rethrows.
     *
     * @throws org.apache.kafka.common.config.ConfigException when the configuration or a flow file is wrong
     * @throws io.parley.processor.ops.ProcessorStartupException when the topics are missing or not co-partitioned
     */
    static ParleyProcessor start(ProcessorConfig config, Tracing tracing, StartTimeline timeline) {
        ProcessorAssembler assembler;
        try {
            assembler = new ProcessorAssembler(config, tracing, timeline);
        } catch (RuntimeException e) {
            tracing.close();
            throw e;
        }
        return assembler.assemble();
    }

    private ParleyProcessor assemble() {
        shutdown.add(Part.TRACING, tracing::close);
        try {
            // Beside the steps below; Kafka Streams' first store waits for it if it is not done by then.
            RocksDbNativeLibrary.loadInBackground(config.kafka());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            shutdown.add(Part.METER_REGISTRY, registry::close);
            StartingFlows flows = flows(registry);
            timeline.step("flows loaded");
            int conversationPartitions = checkTopics(flows.first());
            timeline.step("topics checked");
            RuleBook rules = checkConnectorCatalog(flows.first());
            timeline.step("connector catalog and rules checked");
            ProcessorMetrics metrics = new ProcessorMetrics(registry);
            RocksDbMemory memory = new RocksDbMemory(config.rocksDb());
            shutdown.add(Part.ROCKSDB_MEMORY, memory::close);
            Map<String, Object> streamsProperties = ProcessorWiring.streamsProperties(config, connection, metrics, memory);
            Topology topology = ProcessorWiring.topology(config, topics(), rules, flows.first(), flows.versions(), metrics,
                    streamsProperties, tracing, conversationPartitions);
            timeline.step("topology built");
            KafkaStreams streams = kafkaStreams(topology, streamsProperties);
            timeline.step("Kafka Streams created");
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            shutdown.add(Part.STREAMS_METRICS, streamsMetrics::close);
            streamsMetrics.bindTo(registry);
            AdminServer admin = adminServer(registry, streams, metrics, flows.first());
            shutdown.add(Part.ADMIN_SERVER, admin::close);
            timeline.step("admin endpoint started");
            StreamsStateWatch state = new StreamsStateWatch(streams, timeline);
            streams.setStateListener(state);
            streams.setGlobalStateRestoreListener(restoreListener(new StateRestoreMetrics(registry)));
            streams.setUncaughtExceptionHandler(exception -> {
                // Record-level failures are handled (dead-letter topic); what reaches here is not, so stop
                // and let the orchestrator restart the instance rather than loop on it.
                if (HeldInstanceId.isRefusal(exception)) {
                    LOG.warn("The group still holds instance id {} for this instance's previous process (its session has not "
                            + "expired yet); the processor stops and starts again", config.membership().instanceId().orElse("?"));
                } else {
                    LOG.error("A stream thread failed; the processor stops", exception);
                }
                state.failed(exception);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            ParleyProcessor processor = new ParleyProcessor(streams, state, registry, admin, shutdown);
            streams.start();
            timeline.step("Kafka Streams started");
            LOG.info("Parley processor {} started with flows {}; admin endpoint at {}", config.applicationId(),
                    flows.first().version(), admin.baseUrl());
            return processor;
        } catch (RuntimeException e) {
            shutdown.close();
            throw e;
        }
    }

    /** The restore metrics, and the start timeline's first restore and restored records. */
    private StateRestoreListener restoreListener(StateRestoreMetrics metrics) {
        return new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
                timeline.restoreStarted();
                metrics.onRestoreStart(changelog, store, startingOffset, endingOffset);
            }

            @Override
            public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long restored) {
                timeline.restored(restored);
                metrics.onBatchRestored(changelog, store, batchEndOffset, restored);
            }

            @Override
            public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
                metrics.onRestoreEnd(changelog, store, totalRestored);
            }

            @Override
            public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
                metrics.onRestoreSuspended(changelog, store, totalRestored);
            }
        };
    }

    /** The topics with their serdes, one catalogue for the checks, the reader of published flows and the topology. */
    private Topics topics() {
        if (topics == null) {
            topics = Topics.create(config.topics(), config.schemaRegistry());
        }
        return topics;
    }

    /** The flows the processor starts with and the versions it serves. */
    private record StartingFlows(FlowCatalog first, FlowVersions versions) {
    }

    /** The flow files, or the published flow set with the reader that keeps it current (hot reload). */
    private StartingFlows flows(PrometheusMeterRegistry registry) {
        FlowLoader loader = ProcessorWiring.flowLoader(config);
        if (!config.flowSettings().fromTopic()) {
            FlowCatalog flows = loader.load(config.flows());
            return new StartingFlows(flows, FlowVersions.fixed(flows));
        }
        AtomicReference<FlowCatalog> started = new AtomicReference<>();
        FlowVersions versions = publishedVersions(registry, started);
        FlowTopicReader reader = new FlowTopicReader(consumerSettings("-flows"), topics().flows(),
                config.flowSettings().set().orElseThrow(), loader, versions);
        shutdown.add(Part.FLOW_READER, reader);
        reader.start();
        FlowCatalog flows = reader.awaitFirst(config.flowSettings().maxWait());
        // From here on, versions must fit the topology built with these flows (and are checked like a start).
        started.set(flows);
        return new StartingFlows(flows, versions);
    }

    /**
     * The versions of a published flow set. Once the processor has started with {@code first}, every later version
     * must read the same reference tables (global stores of the topology, which a running processor cannot change)
     * and pass the connector catalog check.
     */
    private FlowVersions publishedVersions(PrometheusMeterRegistry registry, AtomicReference<FlowCatalog> first) {
        Map<String, Object> catalogConsumer = consumerSettings("-connector-catalog");
        Topic<String, ConnectorCatalog> catalogTopic = topics().connectorCatalog();
        return FlowVersions.changing(config.flowSettings().keepVersions(), List.of(flows -> {
            FlowCatalog initial = first.get();
            if (initial != null && !initial.tables().equals(flows.tables())) {
                throw new IllegalStateException("it declares the tables " + flows.tables().keySet() + " but this processor reads "
                        + initial.tables().keySet() + " (as published when it started); a change of tables needs a restart");
            }
            if (initial != null) {
                // The start's version is checked by the start (checkConnectorCatalog), later ones here, against the catalog of now.
                ConnectorCatalogCheck.verifyPublished(flows, catalogConsumer, catalogTopic, config.connectorCatalog().maxWait());
            }
        }), registry);
    }

    /** @return the partition count of {@code chat.events} */
    private int checkTopics(FlowCatalog flows) {
        Map<String, Object> adminProps = new StreamsConfig(connection).getAdminConfigs(config.applicationId() + "-startup-check");
        try (Admin admin = Admin.create(adminProps)) {
            int conversationPartitions = new CoPartitioningCheck(admin, STARTUP_CHECK_TIMEOUT)
                    .verify(config.topics().chatEvents(), config.topics().backendResponses());
            Set<String> replyTopics = new LinkedHashSet<>(config.replyRoutes().routes().values());
            replyTopics.add(config.replyRoutes().defaultTopic());
            new RecordLimitsCheck(admin, STARTUP_CHECK_TIMEOUT).verify(config.limits(), config.inputs(),
                    new RecordLimitsCheck.Targets(config.source(), connection, config.topics().backendRequests(), replyTopics,
                            config.topics().audit(), config.topics().deadLetters()));
            new TableTopicsCheck(admin, STARTUP_CHECK_TIMEOUT).verify(flows.tables().values());
            // Under the streams rebalance protocol the session, heartbeat and standbys are group configs on the broker.
            StreamsGroupSettings.apply(admin, config.applicationId(), config.membership(), config.kafka(), STARTUP_CHECK_TIMEOUT);
            return conversationPartitions;
        }
    }

    /**
     * The flows' templates against the response schemas connectors workers published (issue 16), and the trigger
     * rules' calls too (the catalog is not known when the rules file is read).
     *
     * @return the trigger rules, checked
     */
    private RuleBook checkConnectorCatalog(FlowCatalog flows) {
        ConnectorCatalogCheck.Catalog catalog = ConnectorCatalogCheck.verify(config.source(), config.connectorCatalog(), flows,
                consumerSettings("-connector-catalog"), topics().connectorCatalog());
        RuleBook rules = ProcessorWiring.rules(config);
        RuleCallContracts.verify(rules, CatalogContracts.operations(catalog.records().values()), topics().connectorCatalog().name());
        return rules;
    }

    /** A reader's settings: the streams' connection, as Kafka Streams' global consumer with this client id suffix; no group. */
    private Map<String, Object> consumerSettings(String clientIdSuffix) {
        return new StreamsConfig(connection).getGlobalConsumerConfigs(config.applicationId() + clientIdSuffix);
    }

    private KafkaStreams kafkaStreams(Topology topology, Map<String, Object> streamsProperties) {
        Properties props = new Properties();
        props.putAll(streamsProperties);
        KafkaStreams streams = new ScrapeSafeKafkaStreams(topology, props);
        CloseOptions onClose = CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(membershipOnClose(streamsProperties, config.membership().leaveGroupOnShutdown()));
        shutdown.add(Part.STREAMS, () -> streams.close(onClose));
        return streams;
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

    private AdminServer adminServer(PrometheusMeterRegistry registry, KafkaStreams streams, ProcessorMetrics metrics,
                                    FlowCatalog flows) {
        AdminServer.Builder builder = AdminServer.builder(registry)
                .host(config.admin().host())
                .port(config.admin().port())
                // RUNNING is not enough: a stream thread stuck on one record stops its partitions all the same.
                .readiness(() -> streams.state() == KafkaStreams.State.RUNNING
                        && !metrics.progress().stalled(config.limits().stalledAfter()));
        AccessControl access = AccessControl.of(config.access(), Clock.systemUTC()).countRefusals(registry);
        builder.access(access);
        // Viewers see the flows; open while no credential is configured, as before roles existed.
        builder.route(FlowGraphHandler.PATH, Role.VIEWER, new FlowGraphHandler(flows));
        // Sessions hold personal data in clear: operators only (viewers get 403, see docs/rbac.md); off without credentials.
        if (access.configured()) {
            builder.route(SessionLookupHandler.PATH, Role.OPERATOR, new SessionLookupHandler(streams, applicationServer()));
        }
        return builder.start();
    }

    private HostInfo applicationServer() {
        String server = config.kafka().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return server == null || server.isBlank() ? null : HostInfo.buildFromEndpoint(server);
    }
}
