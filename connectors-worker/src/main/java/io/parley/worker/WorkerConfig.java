package io.parley.worker;

import io.parley.runtime.config.KafkaSettings;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.tracing.TracingSettings;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.access.AccessSettings;
import io.parley.topics.TopicNames;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.ConnectorEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * The worker's configuration ({@code worker.yaml}), validated when built:
 *
 * <pre>{@code
 * kafka:                      # passed as-is to the Kafka clients (bootstrap.servers, TLS/SASL, config.providers...)
 *   bootstrap.servers: localhost:9092
 * schemaRegistry:             # passed as-is to the Avro serde
 *   schema.registry.url: http://localhost:8081
 * topics:                     # TopicNames keys; defaults as in the architecture
 *   backendRequests: backend.requests
 * admin: {host: 127.0.0.1, port: 9101}   # /metrics, /health/live, /health/ready; port 0 picks one
 * connectorFiles: [connectors.yaml]      # relative to this file
 * connectorReload:            # reload the connector files when they change; calls in flight finish on the old ones
 *   enabled: false
 *   interval: 2s              # how often the files' hash is compared (100ms to 1h)
 * mode: share                 # share | classic
 * groupId: parley-worker
 * concurrency: 256            # backend calls in flight in this worker (they wait on I/O)
 * consumers: 2                # share mode: share consumers (poll loops) in this worker
 * maxResponseBytes: 1048576   # the largest backend answer, unless a connector sets its own; by default
 *                             # what fits a response record (topic max.message.bytes, producer max.request.size)
 * shutdownTimeout: 10s        # how long in-flight calls may finish on shutdown before their records are released
 * tracing:                    # OpenTelemetry spans per backend call (TracingSettings); off by default
 *   enabled: false
 * }</pre>
 *
 * Built from a file with {@link #load(Path)} or in code with {@link #builder()} (local mode,
 * benchmarks); {@link #toBuilder()} overrides settings of a loaded file.
 */
public final class WorkerConfig {

    public static final String KAFKA = "kafka";
    public static final String SCHEMA_REGISTRY = "schemaRegistry";
    public static final String TOPICS = "topics";
    public static final String ADMIN = "admin";
    public static final String ACCESS = "access";
    public static final String ADMIN_ENABLED = "enabled";
    public static final String ADMIN_HOST = "host";
    public static final String ADMIN_PORT = "port";
    public static final String CONNECTOR_FILES = "connectorFiles";
    public static final String CONNECTOR_RELOAD = "connectorReload";
    public static final String RELOAD_ENABLED = "enabled";
    public static final String RELOAD_INTERVAL = "interval";
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);
    public static final Duration MIN_RELOAD_INTERVAL = Duration.ofMillis(100);
    public static final Duration MAX_RELOAD_INTERVAL = Duration.ofHours(1);
    public static final String MODE = "mode";
    public static final String GROUP_ID = "groupId";
    public static final String CONCURRENCY = "concurrency";
    public static final String CONSUMERS = "consumers";
    public static final String MAX_RESPONSE_BYTES = "maxResponseBytes";
    public static final String SHUTDOWN_TIMEOUT = "shutdownTimeout";
    public static final String TRACING = "tracing";
    public static final String DEFAULT_SERVICE_NAME = "parley-worker";

    public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
    public static final int DEFAULT_ADMIN_PORT = 9101;
    public static final String DEFAULT_GROUP_ID = "parley-worker";
    /**
     * Calls wait on their backend, not on a CPU: 256 calls of 200 ms each are about 1,250 calls a
     * second from one worker. A backend that takes less gets a connector's {@code concurrencyLimit}.
     */
    public static final int DEFAULT_CONCURRENCY = 256;
    public static final int DEFAULT_CONSUMERS = 2;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    /** The top-level keys of worker.yaml, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("", "worker.yaml: the connectors worker")
            .key(KAFKA, "Kafka client properties", "", "passed as-is to the Kafka clients; bootstrap.servers is required")
            .key(SCHEMA_REGISTRY, "serde properties", "", "passed as-is to the Avro serde; schema.registry.url is required")
            .key(TOPICS, "topic names", "defaults", "overrides of topic names by logical name")
            .key(ADMIN, "section", "", "the admin endpoint")
            .key(ACCESS, "section", "none", "who may call the admin endpoint, by role (docs/rbac.md)")
            .key(CONNECTOR_FILES, "list of files", "", "connector files, relative to worker.yaml (at least one)")
            .key(CONNECTOR_RELOAD, "section", "off", "reload the connector files when they change")
            .key(MODE, "share | classic", "share", "share group (KIP-932) or classic consumer group")
            .key(GROUP_ID, "text", DEFAULT_GROUP_ID, "the group id")
            .key(CONCURRENCY, "integer 1-10000", String.valueOf(DEFAULT_CONCURRENCY), "backend calls in flight in this worker")
            .key(CONSUMERS, "integer 1-64", String.valueOf(DEFAULT_CONSUMERS), "share mode: poll loops per worker (at most concurrency)")
            .key(MAX_RESPONSE_BYTES, "integer", "what fits a response record", "the largest backend answer, unless a connector sets its own")
            .key(SHUTDOWN_TIMEOUT, "duration", ConfigKeys.duration(DEFAULT_SHUTDOWN_TIMEOUT),
                    "how long calls in flight may finish on shutdown")
            .key(TRACING, "section", "off", "OpenTelemetry spans per backend call");
    /** The keys of {@code admin:}. */
    public static final ConfigKeys ADMIN_KEYS = ConfigKeys.section(ADMIN, "The admin endpoint: /metrics, /health/live, /health/ready")
            .key(ADMIN_ENABLED, "boolean", "true", "serve it")
            .key(ADMIN_HOST, "host", DEFAULT_ADMIN_HOST, "address to listen on")
            .key(ADMIN_PORT, "integer 0-65535", String.valueOf(DEFAULT_ADMIN_PORT), "port; 0 picks a free one");
    /** The keys of {@code connectorReload:}. */
    public static final ConfigKeys RELOAD_KEYS = ConfigKeys.section(CONNECTOR_RELOAD,
                    "Reload the connector files when they change; calls in flight finish on the old ones")
            .key(RELOAD_ENABLED, "boolean", "false", "watch the files")
            .key(RELOAD_INTERVAL, "duration 100ms-1h", ConfigKeys.duration(DEFAULT_RELOAD_INTERVAL),
                    "how often the files' hash is compared");
    /** Every section of worker.yaml, in the order the reference lists them. */
    public static final List<ConfigKeys> SECTIONS = List.of(KEYS, ADMIN_KEYS, AccessSettings.KEYS,
            AccessSettings.TOKEN_KEYS, AccessSettings.OIDC_KEYS, RELOAD_KEYS, TracingSettings.KEYS);

    private final String source;
    private final Map<String, Object> kafka;
    private final Map<String, Object> schemaRegistry;
    private final TopicNames topics;
    private final boolean adminEnabled;
    private final String adminHost;
    private final int adminPort;
    private final List<ConnectorSource> connectorSources;
    private final ConnectorReload connectorReload;
    private final WorkerMode mode;
    private final String groupId;
    private final int concurrency;
    private final int consumers;
    private final long maxResponseBytes;
    private final boolean maxResponseBytesSet;
    private final Duration shutdownTimeout;
    private final TracingSettings tracing;
    private final AccessSettings access;

    private WorkerConfig(Builder builder) {
        this.source = builder.source;
        this.kafka = Map.copyOf(builder.kafka);
        this.schemaRegistry = Map.copyOf(builder.schemaRegistry);
        this.topics = builder.topics;
        this.adminEnabled = builder.adminEnabled;
        this.adminHost = builder.adminHost;
        this.adminPort = builder.adminPort;
        this.connectorSources = List.copyOf(builder.connectorSources);
        this.connectorReload = builder.connectorReload;
        this.mode = builder.mode;
        this.groupId = builder.groupId;
        this.concurrency = builder.concurrency;
        this.consumers = builder.consumers;
        this.maxResponseBytes = builder.maxResponseBytes;
        this.maxResponseBytesSet = builder.maxResponseBytesSet;
        this.shutdownTimeout = builder.shutdownTimeout;
        this.tracing = builder.tracing;
        this.access = builder.access;
    }

    /**
     * Reads and validates a worker.yaml. Connector file paths are relative to its folder; the
     * connector files themselves are read when the worker starts.
     *
     * @throws ConfigException naming the file and the key
     */
    public static WorkerConfig load(Path file) {
        ConfigSection root = YamlFiles.read(file);
        root.allowOnly(KEYS);
        Builder builder = builder().source(file.toString());
        builder.kafka(new LinkedHashMap<>(KafkaSettings.read(root, KAFKA).requireBootstrapServers(root, KAFKA).properties()));
        builder.schemaRegistry(new LinkedHashMap<>(root.stringMap(SCHEMA_REGISTRY)));
        try {
            builder.topics(TopicNames.fromMap(root.stringMap(TOPICS)));
        } catch (ConfigException e) {
            throw root.error(TOPICS, e.getMessage());
        }
        root.object(ADMIN).ifPresent(admin -> {
            admin.allowOnly(ADMIN_KEYS);
            builder.adminEnabled(admin.bool(ADMIN_ENABLED, true));
            builder.adminHost(admin.string(ADMIN_HOST).orElse(DEFAULT_ADMIN_HOST));
            builder.adminPort(admin.intValue(ADMIN_PORT, DEFAULT_ADMIN_PORT, 0, 65535));
        });
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            builder.access(AccessSettings.read(root.section(ACCESS), variables));
        }
        Path folder = file.toAbsolutePath().getParent();
        List<Path> connectorFiles = new ArrayList<>();
        root.stringList(CONNECTOR_FILES).forEach(name -> connectorFiles.add(folder.resolve(name)));
        builder.connectorFiles(connectorFiles);
        root.object(CONNECTOR_RELOAD).ifPresent(reload -> {
            reload.allowOnly(RELOAD_KEYS);
            builder.connectorReload(new ConnectorReload(reload.bool(RELOAD_ENABLED, false),
                    reload.duration(RELOAD_INTERVAL, DEFAULT_RELOAD_INTERVAL)));
        });
        root.enumValue(MODE, WorkerMode.class).ifPresent(builder::mode);
        root.string(GROUP_ID).ifPresent(builder::groupId);
        builder.concurrency(root.intValue(CONCURRENCY, DEFAULT_CONCURRENCY, 1, 10_000));
        builder.consumers(root.intValue(CONSUMERS, DEFAULT_CONSUMERS, 1, 64));
        if (root.has(MAX_RESPONSE_BYTES)) {
            builder.maxResponseBytes(root.longValue(MAX_RESPONSE_BYTES, ConnectorEnvironment.DEFAULT_MAX_RESPONSE_BYTES, 1,
                    Integer.MAX_VALUE));
        }
        builder.shutdownTimeout(root.duration(SHUTDOWN_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT));
        builder.tracing(TracingSettings.read(root.section(TRACING), DEFAULT_SERVICE_NAME));
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to override some of it. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.source = source;
        builder.kafka = new LinkedHashMap<>(kafka);
        builder.schemaRegistry = new LinkedHashMap<>(schemaRegistry);
        builder.topics = topics;
        builder.adminEnabled = adminEnabled;
        builder.adminHost = adminHost;
        builder.adminPort = adminPort;
        builder.connectorSources = new ArrayList<>(connectorSources);
        builder.connectorReload = connectorReload;
        builder.mode = mode;
        builder.groupId = groupId;
        builder.concurrency = concurrency;
        builder.consumers = consumers;
        builder.maxResponseBytes = maxResponseBytes;
        builder.maxResponseBytesSet = maxResponseBytesSet;
        builder.shutdownTimeout = shutdownTimeout;
        builder.tracing = tracing;
        builder.access = access;
        return builder;
    }

    /** Where this configuration came from (a file name, or "code"), for messages. */
    public String source() {
        return source;
    }

    /** Kafka client properties, as given. */
    public Map<String, Object> kafka() {
        return kafka;
    }

    /** Serde properties ({@code schema.registry.url}, ...), as given. */
    public Map<String, Object> schemaRegistry() {
        return schemaRegistry;
    }

    public TopicNames topics() {
        return topics;
    }

    public boolean adminEnabled() {
        return adminEnabled;
    }

    public String adminHost() {
        return adminHost;
    }

    public int adminPort() {
        return adminPort;
    }

    /** Connector files and texts, in order. */
    public List<ConnectorSource> connectorSources() {
        return connectorSources;
    }

    /** Whether and how often the connector files are checked for changes. */
    public ConnectorReload connectorReload() {
        return connectorReload;
    }

    public WorkerMode mode() {
        return mode;
    }

    public String groupId() {
        return groupId;
    }

    public int concurrency() {
        return concurrency;
    }

    public int consumers() {
        return consumers;
    }

    /**
     * The largest backend answer of connectors without their own setting. Unless it was set
     * ({@link #maxResponseBytesSet()}), the worker lowers it at start to what fits a response record.
     */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    /** Whether {@code maxResponseBytes} was set, rather than left at its default. */
    public boolean maxResponseBytesSet() {
        return maxResponseBytesSet;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** OpenTelemetry tracing of backend calls; off by default. */
    public TracingSettings tracing() {
        return tracing;
    }

    /** Who may call the admin endpoint ({@code access:}; none configured: metrics and health open). */
    public AccessSettings access() {
        return access;
    }

    /**
     * Reloading the connector files on change: every {@code interval} the files' SHA-256 is compared
     * with the loaded one's (a hash, not the modification time: copies and checkouts keep it).
     */
    public record ConnectorReload(boolean enabled, Duration interval) {

        public static final ConnectorReload OFF = new ConnectorReload(false, DEFAULT_RELOAD_INTERVAL);

        public ConnectorReload {
            Objects.requireNonNull(interval, "interval");
        }
    }

    /** Connector definitions: a file, or YAML text given in code (named for error messages). */
    public record ConnectorSource(String name, Path file, String yaml) {

        public static ConnectorSource file(Path file) {
            return new ConnectorSource(file.toString(), Objects.requireNonNull(file, "file"), null);
        }

        public static ConnectorSource yaml(String name, String yaml) {
            return new ConnectorSource(name, null, Objects.requireNonNull(yaml, "yaml"));
        }
    }

    /** Settings of a worker; {@link #build()} validates them. */
    public static final class Builder {

        private String source = "code";
        private Map<String, Object> kafka = new LinkedHashMap<>();
        private Map<String, Object> schemaRegistry = new LinkedHashMap<>();
        private TopicNames topics = TopicNames.defaults();
        private boolean adminEnabled = true;
        private String adminHost = DEFAULT_ADMIN_HOST;
        private int adminPort = DEFAULT_ADMIN_PORT;
        private List<ConnectorSource> connectorSources = new ArrayList<>();
        private ConnectorReload connectorReload = ConnectorReload.OFF;
        private WorkerMode mode = WorkerMode.SHARE;
        private String groupId = DEFAULT_GROUP_ID;
        private int concurrency = DEFAULT_CONCURRENCY;
        private int consumers = DEFAULT_CONSUMERS;
        private long maxResponseBytes = ConnectorEnvironment.DEFAULT_MAX_RESPONSE_BYTES;
        private boolean maxResponseBytesSet;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private TracingSettings tracing = TracingSettings.off(DEFAULT_SERVICE_NAME);
        private AccessSettings access = AccessSettings.NONE;

        /** Who may call the admin endpoint. */
        public Builder access(AccessSettings settings) {
            this.access = Objects.requireNonNull(settings, "access");
            return this;
        }

        private Builder() {
        }

        private Builder source(String source) {
            this.source = source;
            return this;
        }

        /** Replaces the Kafka client properties. */
        public Builder kafka(Map<String, ?> properties) {
            this.kafka = new LinkedHashMap<>(properties);
            return this;
        }

        /** Sets one Kafka client property on top of the others. */
        public Builder kafkaProperty(String name, Object value) {
            this.kafka.put(name, value);
            return this;
        }

        /** Replaces the serde properties. */
        public Builder schemaRegistry(Map<String, ?> properties) {
            this.schemaRegistry = new LinkedHashMap<>(properties);
            return this;
        }

        public Builder topics(TopicNames topics) {
            this.topics = Objects.requireNonNull(topics, "topics");
            return this;
        }

        public Builder tracing(TracingSettings settings) {
            this.tracing = Objects.requireNonNull(settings, "tracing");
            return this;
        }

        public Builder adminEnabled(boolean enabled) {
            this.adminEnabled = enabled;
            return this;
        }

        public Builder adminHost(String host) {
            this.adminHost = host;
            return this;
        }

        /** The admin endpoint's port; 0 picks a free one. */
        public Builder adminPort(int port) {
            this.adminPort = port;
            return this;
        }

        /** Replaces the connector sources with these files. */
        public Builder connectorFiles(List<Path> files) {
            this.connectorSources = new ArrayList<>();
            files.forEach(file -> connectorSources.add(ConnectorSource.file(file)));
            return this;
        }

        /** Adds connector definitions given as YAML text. */
        public Builder connectorYaml(String name, String yaml) {
            this.connectorSources.add(ConnectorSource.yaml(name, yaml));
            return this;
        }

        public Builder connectorReload(ConnectorReload reload) {
            this.connectorReload = Objects.requireNonNull(reload, "connectorReload");
            return this;
        }

        public Builder mode(WorkerMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder consumers(int consumers) {
            this.consumers = consumers;
            return this;
        }

        public Builder maxResponseBytes(long maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            this.maxResponseBytesSet = true;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws ConfigException naming the source and the key
         */
        public WorkerConfig build() {
            require(kafka.get("bootstrap.servers") != null && !String.valueOf(kafka.get("bootstrap.servers")).isBlank(),
                    KAFKA + ".bootstrap.servers", "is required");
            require(schemaRegistry.get("schema.registry.url") != null, SCHEMA_REGISTRY + ".schema.registry.url", "is required");
            require(!connectorSources.isEmpty(), CONNECTOR_FILES, "at least one connector file is required");
            require(groupId != null && !groupId.isBlank(), GROUP_ID, "must not be blank");
            require(concurrency >= 1, CONCURRENCY, "must be at least 1");
            require(consumers >= 1 && consumers <= concurrency, CONSUMERS, "must be from 1 to concurrency (" + concurrency + ")");
            require(maxResponseBytes >= 1, MAX_RESPONSE_BYTES, "must be at least 1");
            require(connectorReload.interval().compareTo(MIN_RELOAD_INTERVAL) >= 0
                            && connectorReload.interval().compareTo(MAX_RELOAD_INTERVAL) <= 0,
                    CONNECTOR_RELOAD + "." + RELOAD_INTERVAL, connectorReload.interval().toMillis() + "ms"
                            + " is out of range; allowed are " + MIN_RELOAD_INTERVAL.toMillis() + "ms to "
                            + MAX_RELOAD_INTERVAL.toHours() + "h");
            require(!connectorReload.enabled() || connectorSources.stream().anyMatch(source -> source.file() != null),
                    CONNECTOR_RELOAD + "." + RELOAD_ENABLED, "needs connector files (definitions given as text never change)");
            require(adminPort >= 0 && adminPort <= 65535, ADMIN + "." + ADMIN_PORT, "must be from 0 to 65535");
            return new WorkerConfig(this);
        }

        private void require(boolean valid, String key, String message) {
            if (!valid) {
                throw new ConfigException(source + ": " + key + ": " + message);
            }
        }
    }
}
