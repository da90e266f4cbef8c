package io.parley.analytics.config;

import io.parley.runtime.config.KafkaSettings;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

import io.parley.analytics.Period;
import io.parley.topics.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * The analytics application's configuration (analytics.yaml), immutable:
 *
 * <pre>
 * kafka:            # passed as-is to Kafka Streams; bootstrap.servers is required
 * schemaRegistry:   # passed as-is to the Avro serde; schema.registry.url is required
 * bots:             # bot name -> its audit topic; default {parley: chat.audit}
 * topics:           # stats: the compacted output topic (analytics.bot-stats)
 * handoverIntents:  # intents that hand the user over to a person (not contained)
 * topNoMatches: 20          # utterances published per bucket
 * trackedNoMatches: 500     # distinct utterances counted per bucket (the least counted give way)
 * emitInterval: 10s         # how often changed buckets are published
 * retention: {hour: 48h, day: 35d}
 * admin: {host: 127.0.0.1, port: 9102}
 * </pre>
 */
public final class AnalyticsConfig {

    public static final String DEFAULT_APPLICATION_ID = "parley-analytics";
    public static final String DEFAULT_STATS_TOPIC = "analytics.bot-stats";
    private static final Pattern BOT_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /** The keys of analytics.yaml, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys TOP = ConfigKeys.section("", "analytics.yaml: the analytics application")
            .key("kafka", "Kafka client properties", "", "passed as-is to Kafka Streams; bootstrap.servers is required")
            .key("schemaRegistry", "serde properties", "", "passed to the Avro serde; schema.registry.url is required")
            .key("bots", "mapping of bot name to audit topic", "{parley: chat.audit}", "the bots counted, each with its audit topic")
            .key("topics", "section", "", "the output topic")
            .key("handoverIntents", "list of intent names", "none", "intents that hand the user over to a person (not contained)")
            .key("topNoMatches", "integer 1-1000", "20", "no-match utterances published per bucket")
            .key("trackedNoMatches", "integer 1-100000", "500", "distinct utterances counted per bucket (the least counted give way); at least topNoMatches")
            .key("emitInterval", "duration", "10s", "how often changed buckets are published")
            .key("retention", "section", "", "how long hourly and daily buckets are kept")
            .key("admin", "section", "", "where /metrics and /health/* are served");
    public static final ConfigKeys TOPICS = ConfigKeys.section("topics", "The output topic")
            .key("stats", "topic name", DEFAULT_STATS_TOPIC, "the compacted topic of per-bot statistics");
    public static final ConfigKeys RETENTION = ConfigKeys.section("retention", "How long buckets are kept (at least two buckets)")
            .key("hour", "duration", "48h", "hourly buckets")
            .key("day", "duration", "35d", "daily buckets");
    public static final ConfigKeys ADMIN = ConfigKeys.section("admin", "The admin endpoint (/metrics, /health/*)")
            .key("host", "host", "127.0.0.1", "address to listen on")
            .key("port", "integer 0-65535", "9102", "its port; 0 picks a free one");

    /** Every declared section of the file, in the order the reference lists them. */
    public static final List<ConfigKeys> SECTIONS = List.of(TOP, TOPICS, RETENTION, ADMIN);

    private final String source;
    private final Map<String, String> kafka;
    private final Map<String, String> schemaRegistry;
    private final Map<String, String> botTopics;
    private final String statsTopic;
    private final Set<String> handoverIntents;
    private final int topNoMatches;
    private final int trackedNoMatches;
    private final Duration emitInterval;
    private final Map<Period, Duration> retention;
    private final String adminHost;
    private final int adminPort;

    private AnalyticsConfig(Builder builder) {
        this.source = builder.source;
        this.kafka = Map.copyOf(builder.kafka);
        this.schemaRegistry = Map.copyOf(builder.schemaRegistry);
        this.botTopics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.botTopics));
        this.statsTopic = builder.statsTopic;
        this.handoverIntents = Set.copyOf(builder.handoverIntents);
        this.topNoMatches = builder.topNoMatches;
        this.trackedNoMatches = builder.trackedNoMatches;
        this.emitInterval = builder.emitInterval;
        this.retention = java.util.Collections.unmodifiableMap(new EnumMap<>(builder.retention));
        this.adminHost = builder.adminHost;
        this.adminPort = builder.adminPort;
    }

    /**
     * Reads analytics.yaml.
     *
     * @throws ConfigException naming the file and the entry of the first problem
     */
    public static AnalyticsConfig load(Path file) {
        String label = file.getFileName().toString();
        try (InputStream in = Files.newInputStream(file)) {
            return read(ConfigSection.parse(label, in));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    static AnalyticsConfig read(ConfigSection root) {
        root.allowOnly(TOP);
        Builder builder = builder().source(root.file());
        KafkaSettings kafka = KafkaSettings.read(root, "kafka");
        builder.kafka.putAll(kafka.properties());
        builder.schemaRegistry.putAll(root.stringMap("schemaRegistry"));
        if (root.has("bots")) {
            Map<String, String> bots = root.stringMap("bots");
            if (bots.isEmpty()) {
                throw root.error("bots", "lists no bot; name at least one with its audit topic, e.g. parley: chat.audit");
            }
            builder.botTopics.clear();
            bots.forEach((bot, topic) -> {
                if (!BOT_NAME.matcher(bot).matches()) {
                    throw root.error("bots", "'" + bot + "' is not a bot name; use 1 to 63 of a-z, 0-9, '.', '_', '-'");
                }
                try {
                    TopicNames.requireValidName("bots." + bot, topic);
                } catch (ConfigException e) {
                    throw root.error("bots." + bot, e.getMessage());
                }
                builder.bot(bot, topic);
            });
        }
        ConfigSection topics = root.section("topics").allowOnly(TOPICS);
        builder.statsTopic(topics.string("stats", DEFAULT_STATS_TOPIC));
        builder.handoverIntents(root.stringList("handoverIntents"));
        builder.topNoMatches(root.intValue("topNoMatches", 20, 1, 1000));
        builder.trackedNoMatches(root.intValue("trackedNoMatches", 500, 1, 100_000));
        builder.emitInterval(root.duration("emitInterval", Duration.ofSeconds(10)));
        ConfigSection retention = root.section("retention").allowOnly(RETENTION);
        builder.retention(Period.HOUR, retention.duration("hour", Duration.ofHours(48)));
        builder.retention(Period.DAY, retention.duration("day", Duration.ofDays(35)));
        ConfigSection admin = root.section("admin").allowOnly(ADMIN);
        builder.admin(admin.string("host", "127.0.0.1"), admin.intValue("port", 9102, 0, 65_535));
        kafka.requireBootstrapServers(root, "kafka");
        if (!builder.schemaRegistry.containsKey("schema.registry.url")) {
            throw root.error("schemaRegistry", "needs schema.registry.url (for example http://localhost:8081)");
        }
        if (builder.trackedNoMatches < builder.topNoMatches) {
            throw root.error("trackedNoMatches", builder.trackedNoMatches + " is fewer than topNoMatches (" + builder.topNoMatches
                    + "); count at least as many utterances as are published");
        }
        for (Period period : Period.values()) {
            if (builder.retention.get(period).compareTo(period.size().multipliedBy(2)) < 0) {
                throw retention.error(period.label(), "must keep at least two " + period.label() + "s (the current and the previous one)");
            }
        }
        if (builder.emitInterval.isNegative() || builder.emitInterval.isZero()) {
            throw root.error("emitInterval", "must be positive");
        }
        if (builder.botTopics.containsValue(builder.statsTopic)) {
            throw topics.error("stats", "'" + builder.statsTopic + "' is also an audit topic in bots");
        }
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String source() {
        return source;
    }

    /** The {@code kafka:} section as written. */
    public Map<String, String> kafka() {
        return kafka;
    }

    public Map<String, String> schemaRegistry() {
        return schemaRegistry;
    }

    public String applicationId() {
        return kafka.getOrDefault("application.id", DEFAULT_APPLICATION_ID);
    }

    /** Bot name → its audit topic, in the configured order. */
    public Map<String, String> botTopics() {
        return botTopics;
    }

    public String statsTopic() {
        return statsTopic;
    }

    public Set<String> handoverIntents() {
        return handoverIntents;
    }

    public int topNoMatches() {
        return topNoMatches;
    }

    public int trackedNoMatches() {
        return trackedNoMatches;
    }

    public Duration emitInterval() {
        return emitInterval;
    }

    public Duration retention(Period period) {
        return retention.get(period);
    }

    public String adminHost() {
        return adminHost;
    }

    public int adminPort() {
        return adminPort;
    }

    /** Builds a configuration in code (tests, embedding); the same defaults as the file. */
    public static final class Builder {

        private String source = "code";
        private final Map<String, String> kafka = new LinkedHashMap<>();
        private final Map<String, String> schemaRegistry = new LinkedHashMap<>();
        private final Map<String, String> botTopics = new LinkedHashMap<>(Map.of("parley", "chat.audit"));
        private String statsTopic = DEFAULT_STATS_TOPIC;
        private List<String> handoverIntents = List.of();
        private int topNoMatches = 20;
        private int trackedNoMatches = 500;
        private Duration emitInterval = Duration.ofSeconds(10);
        private final Map<Period, Duration> retention = new EnumMap<>(Map.of(Period.HOUR, Duration.ofHours(48), Period.DAY, Duration.ofDays(35)));
        private String adminHost = "127.0.0.1";
        private int adminPort = 9102;
        private boolean botsSet;

        private Builder() {
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder kafka(String key, String value) {
            kafka.put(key, value);
            return this;
        }

        public Builder schemaRegistry(String key, String value) {
            schemaRegistry.put(key, value);
            return this;
        }

        /** Adds a bot; the first call replaces the default bot {@code parley}. */
        public Builder bot(String name, String auditTopic) {
            if (!botsSet) {
                botTopics.clear();
                botsSet = true;
            }
            botTopics.put(name, auditTopic);
            return this;
        }

        public Builder statsTopic(String topic) {
            this.statsTopic = topic;
            return this;
        }

        public Builder handoverIntents(List<String> intents) {
            this.handoverIntents = List.copyOf(intents);
            return this;
        }

        public Builder topNoMatches(int count) {
            this.topNoMatches = count;
            return this;
        }

        public Builder trackedNoMatches(int count) {
            this.trackedNoMatches = count;
            return this;
        }

        public Builder emitInterval(Duration interval) {
            this.emitInterval = interval;
            return this;
        }

        public Builder retention(Period period, Duration duration) {
            retention.put(period, duration);
            return this;
        }

        public Builder admin(String host, int port) {
            this.adminHost = host;
            this.adminPort = port;
            return this;
        }

        public AnalyticsConfig build() {
            return new AnalyticsConfig(this);
        }
    }
}
