package io.parley.bench.pipeline;

import io.parley.bench.report.Figures;
import io.parley.processor.config.ConversationSettings;
import io.parley.processor.config.RocksDbSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processor's configuration for a {@link PipelineConfig}, as the {@code processor.yaml} a user
 * would write: the bench writes the file and the processor reads it with its own loader, in the
 * bench JVM or in a child JVM alike, so both placements run exactly the same configuration and the
 * file stays behind in the work folder for a reader of the report.
 *
 * <p>Everything not listed here is the processor's default (audit on, bounded RocksDB memory,
 * punctuation interval, session time to live, Kafka Streams' producer and consumer defaults).
 */
final class ProcessorSettings {

    /** The bench's flows: the demo shop's order question plus a greeting without a backend call. */
    static final String FLOW = "classpath:bench-flows/bench-shop.yaml";
    /** The processor's default time until a still-working message, used when the turn timeout leaves room for it. */
    static final Duration DEFAULT_INTERIM_AFTER = ConversationSettings.DEFAULTS.interimAfter();

    private final PipelineConfig config;

    ProcessorSettings(PipelineConfig config) {
        this.config = config;
    }

    String applicationId() {
        return config.name() + ".processor";
    }

    Path stateDirectory() {
        return config.workDirectory().resolve("processor-state");
    }

    /**
     * The processor's default when the turn timeout is longer; otherwise half the timeout,
     * as the processor requires the still-working message to come before the deadline.
     */
    Duration interimAfter() {
        return config.turnTimeout().compareTo(DEFAULT_INTERIM_AFTER) > 0
                ? DEFAULT_INTERIM_AFTER
                : config.turnTimeout().dividedBy(2);
    }

    /**
     * The content of processor.yaml.
     *
     * @param schemaRegistry the serde settings the processor can use where it runs (a child JVM
     *     cannot reach the bench's in-memory registry)
     * @param adminPort the admin endpoint's port; 0 picks a free one
     */
    Map<String, Object> yaml(Map<String, ?> schemaRegistry, int adminPort) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kafka", kafka());
        root.put("schemaRegistry", ConfigFiles.strings(schemaRegistry));
        root.put("topics", new LinkedHashMap<>(config.topics().asMap()));
        root.put("flows", List.of(FLOW));
        root.put("replies", Map.of("routes", Map.of(config.channel(), config.topics().defaultReplies())));
        Map<String, Object> conversation = new LinkedHashMap<>();
        conversation.put("interimAfter", interimAfter().toMillis() + "ms");
        conversation.put("deadline", config.turnTimeout().toMillis() + "ms");
        root.put("conversation", conversation);
        root.put("admin", Map.of("host", "127.0.0.1", "port", adminPort));
        return root;
    }

    private Map<String, String> kafka() {
        Map<String, String> kafka = new TreeMap<>(ConfigFiles.strings(config.kafka()));
        kafka.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        kafka.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory().toString());
        kafka.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.guarantee().configValue());
        kafka.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(config.commitInterval().toMillis()));
        kafka.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(config.streamThreads()));
        return kafka;
    }

    /** What the report shows beside the figures, beyond what {@link PipelineConfig#describe()} says. */
    Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("processor.flows", FLOW);
        description.put("processor.interimAfter", Figures.duration(interimAfter()));
        description.put("processor.deadline", Figures.duration(config.turnTimeout()));
        description.put("processor.punctuationInterval", Figures.duration(ConversationSettings.DEFAULTS.punctuationInterval()));
        description.put("processor.rocksdb.totalMemory", (RocksDbSettings.DEFAULTS.totalMemoryBytes() >> 20) + " MiB");
        description.put("processor.otherwise", "processor defaults (audit on); Kafka Streams client defaults");
        return description;
    }
}
