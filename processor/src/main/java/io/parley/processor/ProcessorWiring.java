package io.parley.processor;

import io.parley.processor.config.MembershipSettings;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.processor.ops.BoundedMemoryRocksDbConfig;
import io.parley.processor.ops.DeadLetterBounds;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RocksDbMemory;
import io.parley.processor.ops.SkippingDeserializationHandler;
import io.parley.processor.ops.SkippingProcessingHandler;
import io.parley.processor.reload.FlowVersions;
import io.parley.processor.telemetry.RuleBook;
import io.parley.processor.telemetry.RuleLoader;
import io.parley.processor.topology.ParleyTopology;
import io.parley.processor.topology.TopologySettings;
import io.parley.runtime.tracing.Tracing;
import io.parley.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Turns a {@link ProcessorConfig} into what Kafka Streams runs: the validated flows, the Streams
 * properties and the topology, as functions of the configuration that start nothing. Shared by
 * {@link ProcessorAssembler} and the topology tests and tools, so the tests run exactly what production runs.
 */
public final class ProcessorWiring {

    /** The processor's producers' {@code linger.ms} unless the {@code kafka:} section sets it. */
    static final int PRODUCER_LINGER_MS = 5;
    /** The JMX names of the state stores' metrics (Kafka Streams' group {@code stream-state-metrics}). */
    static final String STATE_STORE_MBEANS = "kafka\\.streams:type=stream-state-metrics,.*";
    /** The commit interval under {@code at_least_once} unless the {@code kafka:} section sets one. */
    static final long AT_LEAST_ONCE_COMMIT_INTERVAL_MS = 1_000;
    /** The commit interval under exactly-once unless the {@code kafka:} section sets one (Kafka Streams' own is 100 ms). */
    static final long EXACTLY_ONCE_COMMIT_INTERVAL_MS = 25;
    /** How long a stream thread blocks in poll under exactly-once unless the {@code kafka:} section sets {@code poll.ms}. */
    static final long EXACTLY_ONCE_POLL_MS = 10;

    /** The first retry of a refused produce (CONCURRENT_TRANSACTIONS) unless the {@code kafka:} section sets one. */
    static final long PRODUCER_RETRY_BACKOFF_MS = 10;
    /** The longest wait between produce retries unless the {@code kafka:} section sets one. */
    static final long PRODUCER_RETRY_BACKOFF_MAX_MS = 100;
    /**
     * How long a transaction of the processor's producers may stay open before the broker aborts it
     * ({@code transaction.timeout.ms}) unless the {@code kafka:} section sets one; Kafka Streams' own is 10 s.
     */
    static final int PRODUCER_TRANSACTION_TIMEOUT_MS = 5_000;

    private ProcessorWiring() {
    }

    /** Loads and checks the flow files. */
    public static FlowCatalog flows(ProcessorConfig config) {
        return flowLoader(config).load(config.flows());
    }

    /** The flow loader of this configuration (template limits, timing defaults), for files and published sets alike. */
    public static FlowLoader flowLoader(ProcessorConfig config) {
        return new FlowLoader(new TemplateCompiler(config.limits().maxRequestBytes()), config.conversation().timing());
    }

    /**
     * The Kafka Streams properties: Parley's defaults (exactly-once v2, the log-and-continue
     * handlers with the dead-letter topic, bounded RocksDB memory), then the {@code kafka:}
     * section, then what must not be overridden (explicit naming, the dead-letter topic), then the
     * instance's metrics and RocksDB memory, which the handlers and the RocksDB setter pick up.
     */
    public static Map<String, Object> streamsProperties(ProcessorConfig config, ProcessorMetrics metrics, RocksDbMemory memory) {
        return streamsProperties(config, connectionProperties(config), metrics, memory);
    }

    /** As {@link #streamsProperties(ProcessorConfig, ProcessorMetrics, RocksDbMemory)}, from its {@link #connectionProperties}. */
    static Map<String, Object> streamsProperties(ProcessorConfig config, Map<String, Object> connectionProperties,
                                                 ProcessorMetrics metrics, RocksDbMemory memory) {
        Map<String, Object> props = new HashMap<>(connectionProperties);
        props.put(SkippingDeserializationHandler.METRICS_CONFIG, metrics);
        props.put(BoundedMemoryRocksDbConfig.MEMORY_CONFIG, memory);
        props.put(DeadLetterBounds.MAX_BYTES_CONFIG, config.limits().maxDeadLetterBytes());
        return props;
    }

    /** The Kafka Streams properties without the instance's objects (enough to talk to the cluster). */
    public static Map<String, Object> connectionProperties(ProcessorConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, ProcessorConfig.DEFAULT_APPLICATION_ID);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkippingDeserializationHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SkippingProcessingHandler.class.getName());
        // Kafka asks for this ahead of 5.0, where it becomes the default (its constant is already deprecated).
        props.put("processing.exception.handler.global.enabled", true);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class.getName());
        // Kafka Streams makes its producers wait up to 100 ms to fill a batch (throughput before
        // latency). A turn crosses two of the processor's sends (the backend request, then the reply),
        // so a user would wait up to 200 ms more for nothing; 5 ms is the Kafka producer's own default.
        // A linger.ms in the kafka: section still wins, prefixed or not.
        if (!config.kafka().containsKey(ProducerConfig.LINGER_MS_CONFIG)) {
            props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), PRODUCER_LINGER_MS);
        }
        // Under exactly-once Kafka Streams used to wipe the stores of every task that was not closed
        // cleanly and restore them from the changelogs: after a kill -9 a restart in place spent its
        // time restoring (17 s with 1,000 sessions, 32 s with 10,000, bench S6), and a survivor
        // re-initialised the standby it was promoting. Transactional stores (KIP-892, Kafka 4.4)
        // keep a task's writes in a buffer until its changelog transaction commits, so the local
        // state is always the committed state and is kept. A value in the kafka: section still wins.
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        // JMX reads metrics from outside the stream threads too (see ScrapeSafeKafkaStreams); its filter
        // works on whole MBeans, so the state stores' MBeans stay out of JMX (Prometheus has /metrics).
        props.put(JmxReporter.EXCLUDE_CONFIG, STATE_STORE_MBEANS);
        membershipProperties(config.membership(), config.kafka()).forEach(props::put);
        transactionRetryProperties(config.kafka()).forEach(props::put);
        transactionTimeoutProperties(config.kafka()).forEach(props::put);
        props.putAll(config.kafka());
        boolean atLeastOnce = ParleyTopology.atLeastOnce(props);
        // Under at_least_once Kafka Streams commits every 30 s. After a crash up to 30 s of turns are
        // processed again (users get answers twice, backends calls twice), and each commit writes
        // 30 s of state out at once, which stalls every conversation for about a second (bench:
        // p99 1.1 s at 200 turns/s, 78 ms with 1 s commits).
        // Under exactly-once a record is readable only once its transaction commits, and a turn waits
        // for two commits: its backend request's (the worker reads committed records only) and its
        // reply's. With Streams' 100 ms, and a stream thread that sits up to poll.ms (100 ms) in poll
        // before it looks at the clock again, a turn took 175 ms at the median and 240–260 ms at p99
        // however light the load (bench S2); with 25 ms commits and 10 ms polls, 60 ms and 130 ms,
        // for about a sixth fewer turns a second at saturation (more transactions, more markers).
        if (!config.kafka().containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                    atLeastOnce ? AT_LEAST_ONCE_COMMIT_INTERVAL_MS : EXACTLY_ONCE_COMMIT_INTERVAL_MS);
        }
        if (!atLeastOnce && !config.kafka().containsKey(StreamsConfig.POLL_MS_CONFIG)) {
            props.put(StreamsConfig.POLL_MS_CONFIG, EXACTLY_ONCE_POLL_MS);
        }
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topics().deadLetters());
        return props;
    }

    /**
     * The group membership settings of the {@code membership:} section. Kafka's 45 s session
     * timeout is what silenced every conversation for 48 s after a crash: a restarted instance
     * joined as a new member and the group waited for the dead one's session to expire. A static
     * member (instance id) takes its place back at once; the shorter session bounds a takeover by
     * a survivor. A {@code session.timeout.ms} or {@code heartbeat.interval.ms} in {@code kafka:}
     * still wins, prefixed or not.
     */
    static Map<String, Object> membershipProperties(MembershipSettings membership, Map<String, String> kafka) {
        Map<String, Object> props = new HashMap<>();
        membership.instanceId().ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        if (membership.protocol() == MembershipSettings.Protocol.STREAMS) {
            // KIP-1071: the session and heartbeat are the group's configs on the broker (StreamsGroupSettings).
            props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, membership.protocol().configValue());
            return props;
        }
        if (kafka.keySet().stream().noneMatch(key -> key.endsWith(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))) {
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) membership.sessionTimeout().toMillis());
        }
        if (kafka.keySet().stream().noneMatch(key -> key.endsWith(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG))) {
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) membership.heartbeatInterval().toMillis());
        }
        return props;
    }

    /**
     * Under transactions v2 (Kafka 4 brokers) the first write of a transaction to a partition is
     * refused with CONCURRENT_TRANSACTIONS until the previous transaction's marker is written
     * there, and the batches behind it with OUT_OF_ORDER_SEQUENCE_NUMBER; the producer retries
     * both after {@code retry.backoff.ms} (100 ms, doubling to 1 s) and a commit waits for them.
     * Right after a start they come in bursts (bench S6: 375 and 80 retries in the first 1,000
     * turns of a fresh processor). Markers take milliseconds, so the processor's producers retry
     * after 10 ms, doubling to 100 ms (24 and 5 retries in the same phase). A
     * {@code retry.backoff.ms} or {@code retry.backoff.max.ms} in {@code kafka:} still wins,
     * prefixed or not.
     */
    static Map<String, Object> transactionRetryProperties(Map<String, String> kafka) {
        Map<String, Object> props = new HashMap<>();
        if (kafka.keySet().stream().noneMatch(key -> key.endsWith(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG))) {
            props.put(StreamsConfig.producerPrefix(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG), PRODUCER_RETRY_BACKOFF_MS);
        }
        if (kafka.keySet().stream().noneMatch(key -> key.endsWith(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG))) {
            props.put(StreamsConfig.producerPrefix(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG), PRODUCER_RETRY_BACKOFF_MAX_MS);
        }
        return props;
    }

    /**
     * When an instance dies for good, its last transaction stays open: the survivor that takes its
     * partitions cannot fence it (each instance has transactional ids of its own), and until the
     * broker aborts it, the survivor's committed-offset fetch is refused (KIP-447: pending
     * transactional offsets) and {@code read_committed} readers of every partition it wrote to wait.
     * The broker aborts a transaction {@code transaction.timeout.ms} after it began, at its next
     * check ({@code transaction.abort.timed.out.transaction.cleanup.interval.ms}, 10 s by default).
     * Kafka Streams' 10 s put the takeover of a dead instance's conversations at 10-20 s; 5 s lets a
     * broker that checks every second abort it about when the 6 s session expires. The price: a
     * stream thread whose transaction stays open longer than that (it commits every 100 ms; a
     * stall, a long GC pause) is fenced, closes its tasks and rejoins the group, processing again
     * what it had not committed. A {@code transaction.timeout.ms} in {@code kafka:} still wins,
     * prefixed or not.
     */
    static Map<String, Object> transactionTimeoutProperties(Map<String, String> kafka) {
        Map<String, Object> props = new HashMap<>();
        if (kafka.keySet().stream().noneMatch(key -> key.endsWith(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG))) {
            props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), PRODUCER_TRANSACTION_TIMEOUT_MS);
        }
        return props;
    }

    /** Loads and checks the trigger rules file; {@link RuleBook#OFF} when none is configured. */
    public static RuleBook rules(ProcessorConfig config) {
        return config.telemetry().rules().map(RuleLoader::load).orElse(RuleBook.OFF);
    }

    /** The topology for a configuration, its flows and Streams properties, without tracing (tools, tests). */
    public static Topology topology(ProcessorConfig config, FlowCatalog flows, ProcessorMetrics metrics,
                                    Map<String, Object> streamsProperties) {
        return topology(config, flows, metrics, streamsProperties, Tracing.off());
    }

    /** The topology for a configuration, its flows and Streams properties, tracing turns with {@code tracing}. */
    public static Topology topology(ProcessorConfig config, FlowCatalog flows, ProcessorMetrics metrics,
                                    Map<String, Object> streamsProperties, Tracing tracing) {
        return topology(config, flows, FlowVersions.fixed(flows), metrics, streamsProperties, tracing);
    }

    /**
     * The topology serving the flow versions {@code versions} holds (published flows, which change while it runs);
     * {@code flows} is the version it is built with: its reference tables are the ones every version reads.
     */
    public static Topology topology(ProcessorConfig config, FlowCatalog flows, FlowVersions versions, ProcessorMetrics metrics,
                                    Map<String, Object> streamsProperties, Tracing tracing) {
        return topology(config, flows, versions, metrics, streamsProperties, tracing, null);
    }

    /**
     * As {@link #topology(ProcessorConfig, FlowCatalog, FlowVersions, ProcessorMetrics, Map, Tracing)}, for a
     * {@code chat.events} of {@code conversationPartitions} partitions (described at start; {@code null} when unknown).
     */
    public static Topology topology(ProcessorConfig config, FlowCatalog flows, FlowVersions versions, ProcessorMetrics metrics,
                                    Map<String, Object> streamsProperties, Tracing tracing, Integer conversationPartitions) {
        return topology(config, Topics.create(config.topics(), config.schemaRegistry()), rules(config), flows, versions, metrics,
                streamsProperties, tracing, conversationPartitions);
    }

    /** As above, with the topics and the trigger rules the caller already made from this configuration. */
    static Topology topology(ProcessorConfig config, Topics topics, RuleBook rules, FlowCatalog flows, FlowVersions versions,
                             ProcessorMetrics metrics, Map<String, Object> streamsProperties, Tracing tracing,
                             Integer conversationPartitions) {
        return ParleyTopology.build(new TopologySettings(topics, flows, config.replyRoutes(),
                config.channels(), config.conversation(), config.audit().trail().withMaxTextChars(config.limits().maxAuditTextChars()),
                metrics, streamsProperties, config.inputs(), config.limits(), tracing, config.encryption().sealing(), rules, versions,
                conversationPartitions));
    }
}
