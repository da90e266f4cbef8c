package io.parley.processor.config;

import io.parley.runtime.config.KafkaSettings;

import io.parley.runtime.access.AccessSettings;
import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

import io.parley.processor.flow.FlowSource;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.runtime.tracing.TracingSettings;
import io.parley.topics.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * The processor's configuration (processor.yaml), immutable. Read with {@link #load(Path)}, or
 * built in code with {@link #builder()} — which is how the local mode and the benchmark embed the
 * processor — and adjusted with {@link #toBuilder()}.
 *
 * <pre>
 * kafka:            # passed as-is to Kafka Streams (bootstrap.servers, TLS/SASL, config.providers, ...)
 * schemaRegistry:   # passed as-is to the Avro serde (schema.registry.url, basic.auth.user.info, ...)
 * topics:           # topic names by key (chatEvents, backendRequests, ...)
 * flows:            # flow files: paths (relative to this file) or classpath:...
 * replies:          # routes: {channel: topic}
 * channels:         # per channel: sharedConversations (default false)
 * conversation:     # timing defaults, session time to live, dedupe window
 * audit:            # pseudonymizeUsers, pseudonymKey
 * admin:            # host, port, sessionToken
 * rocksdb:          # totalMemory, writeBufferPercent
 * inputs:           # maxIdLength, maxTextLength, maxPayloadEntries, maxPayloadValueLength
 * limits:           # maxResultBytes, maxSessionBytes, maxRequestBytes, maxReplyChars, maxAuditTextChars, ...
 * membership:       # instanceId (static membership), sessionTimeout, leaveGroupOnShutdown
 * tracing:          # enabled (false), otlpEndpoint, sampleRatio, serviceName (TracingSettings)
 * encryption:       # enabled (false), currentKey, keys: {id: base64 key} (EncryptionSettings)
 * telemetry:        # rules: the trigger rules file over iot.telemetry (off when absent)
 * connectorCatalog: # require (false), wait (10s): the start check of templates against the workers' catalog
 * </pre>
 */
public final class ProcessorConfig {

    /** The Kafka Streams application id used when {@code kafka.application.id} is not set. */
    public static final String DEFAULT_APPLICATION_ID = "parley-processor";

    /** The {@code service.name} of the processor's spans unless {@code tracing.serviceName} says otherwise. */
    public static final String DEFAULT_SERVICE_NAME = "parley-processor";

    /** The top-level keys of processor.yaml, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("", "processor.yaml: the conversation processor")
            .key("kafka", "Kafka client properties", "", "passed as-is to Kafka Streams; bootstrap.servers is required")
            .key("schemaRegistry", "serde properties", "", "passed as-is to the Avro serde; schema.registry.url is required")
            .key("topics", "topic names", "defaults", "overrides of topic names by logical name")
            .key("flows", "list of flow files, or section", "", "paths relative to processor.yaml, or classpath:flows/demo-shop.yaml"
                    + " (required); or a section (source: files|topic, ...) for published flows")
            .key("replies", "section", "", "where replies go")
            .key("channels", "mapping of channel to section", "none", "what each channel is allowed beyond the default")
            .key("conversation", "section", "", "conversation timing defaults")
            .key("audit", "section", "", "the audit stream")
            .key("admin", "section", "", "the admin endpoint")
            .key("access", "section", "none", "who may call the admin endpoints, by role (docs/rbac.md)")
            .key("rocksdb", "section", "", "the state stores' memory")
            .key("membership", "section", "", "consumer group membership")
            .key("inputs", "section", "", "bounds of chat events accepted")
            .key("limits", "section", "", "bounds of sessions and records")
            .key("tracing", "section", "off", "OpenTelemetry spans")
            .key("encryption", "section", "off", "encryption at rest of the state stores")
            .key("telemetry", "section", "off", "trigger rules over iot.telemetry")
            .key("connectorCatalog", "section", "", "the start check of flow templates against the workers' connector catalog");
    /** The keys of {@code replies:}. */
    public static final ConfigKeys REPLIES = ConfigKeys.section("replies", "Where replies go")
            .key("routes", "mapping of channel to topic", "{}", "channel -> reply topic, e.g. web: chat.replies.web");
    /** Every section of processor.yaml, in the order the reference lists them. */
    public static final List<ConfigKeys> SECTIONS = List.of(KEYS, REPLIES, ChannelSettings.KEYS, ConversationSettings.KEYS,
            AuditSettings.KEYS, AdminSettings.KEYS, AccessSettings.KEYS,
            AccessSettings.TOKEN_KEYS, AccessSettings.OIDC_KEYS, RocksDbSettings.KEYS, MembershipSettings.KEYS, InputLimits.KEYS,
            Limits.KEYS, TracingSettings.KEYS, EncryptionSettings.KEYS, TelemetrySettings.KEYS, ConnectorCatalogSettings.KEYS,
            FlowSettings.KEYS);

    private final String source;
    private final Map<String, String> kafka;
    private final Map<String, String> schemaRegistry;
    private final TopicNames topics;
    private final List<FlowSource> flows;
    private final FlowSettings flowSettings;
    private final ReplyRoutes replyRoutes;
    private final ChannelSettings channels;
    private final ConversationSettings conversation;
    private final AuditSettings audit;
    private final AdminSettings admin;
    private final AccessSettings access;
    private final RocksDbSettings rocksDb;
    private final InputLimits inputs;
    private final Limits limits;
    private final MembershipSettings membership;
    private final TracingSettings tracing;
    private final EncryptionSettings encryption;
    private final TelemetrySettings telemetry;
    private final ConnectorCatalogSettings connectorCatalog;

    private ProcessorConfig(Builder builder) {
        this.source = builder.source;
        this.kafka = Map.copyOf(builder.kafka);
        this.schemaRegistry = Map.copyOf(builder.schemaRegistry);
        this.topics = builder.topics;
        this.flows = List.copyOf(builder.flows);
        this.flowSettings = builder.flowSettings;
        this.replyRoutes = new ReplyRoutes(builder.replyRoutes, topics.defaultReplies());
        this.channels = builder.channels;
        this.conversation = builder.conversation;
        this.audit = builder.audit;
        this.admin = builder.admin;
        this.access = builder.access;
        this.rocksDb = builder.rocksDb;
        this.inputs = builder.inputs;
        this.limits = builder.limits;
        this.membership = builder.membership;
        this.tracing = builder.tracing;
        this.encryption = builder.encryption;
        this.telemetry = builder.telemetry;
        this.connectorCatalog = builder.connectorCatalog;
    }

    /**
     * Reads processor.yaml. {@code ${env:...}}, {@code ${file:...}} references in secrets
     * (the session token, the pseudonym key) are resolved here; those in the {@code kafka:}
     * section are left to Kafka's own config providers.
     *
     * @throws ConfigException naming the file and the key of the first problem
     */
    public static ProcessorConfig load(Path file) {
        String label = file.getFileName().toString();
        try (InputStream in = Files.newInputStream(file); ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            return read(ConfigSection.parse(label, in), file.toAbsolutePath().getParent(), variables);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static ProcessorConfig read(ConfigSection root, Path baseDirectory, ConfigVariables variables) {
        Builder builder = new Builder().source(root.file());
        KafkaSettings kafka = KafkaSettings.read(root, "kafka");
        builder.kafka(kafka.properties());
        builder.schemaRegistry(root.stringMap("schemaRegistry"));
        try {
            builder.topics(TopicNames.fromMap(root.stringMap("topics")));
        } catch (ConfigException e) {
            throw root.error("topics", e.getMessage());
        }
        List<String> flowSpecs;
        if (root.raw("flows") != null && root.raw("flows").isObject()) {
            ConfigSection flowSection = root.section("flows");
            builder.flowSettings(FlowSettings.read(flowSection));
            flowSpecs = flowSection.stringList("files");
        } else {
            flowSpecs = root.stringList("flows");
        }
        if (flowSpecs.isEmpty() && !builder.flowSettings.fromTopic()) {
            throw root.error("flows", "is required: list at least one flow file (a path, or classpath:flows/demo-shop.yaml)");
        }
        builder.flows(flowSpecs.stream().map(spec -> FlowSource.parse(spec, baseDirectory)).toList());
        ConfigSection replies = root.section("replies");
        builder.replyRoutes(replies.stringMap("routes"));
        replies.allowOnly(REPLIES);
        builder.channels(ChannelSettings.read(root, "channels"));
        builder.conversation(ConversationSettings.read(root.section("conversation")));
        builder.audit(AuditSettings.read(root.section("audit"), variables));
        builder.admin(AdminSettings.read(root.section("admin"), variables));
        builder.access(AccessSettings.read(root.section("access"), variables));
        builder.rocksDb(RocksDbSettings.read(root.section("rocksdb")));
        builder.membership(MembershipSettings.read(root.section("membership"), variables));
        builder.inputs(InputLimits.read(root.section("inputs")));
        builder.limits(Limits.read(root.section("limits")));
        builder.tracing(TracingSettings.read(root.section("tracing"), DEFAULT_SERVICE_NAME));
        builder.encryption(EncryptionSettings.read(root.section("encryption"), variables));
        builder.telemetry(TelemetrySettings.read(root.section("telemetry"), baseDirectory));
        builder.connectorCatalog(ConnectorCatalogSettings.read(root.section("connectorCatalog")));
        root.allowOnly(KEYS);
        if (!builder.schemaRegistry.containsKey("schema.registry.url")) {
            throw root.error("schemaRegistry", "needs schema.registry.url (for example http://localhost:8081, or mock://local in tests)");
        }
        kafka.requireBootstrapServers(root, "kafka");
        try {
            return builder.build();
        } catch (ConfigException e) {
            throw new ConfigException(root.file() + ": " + e.getMessage());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change parts of it. */
    public Builder toBuilder() {
        Builder builder = new Builder().source(source);
        builder.kafka.putAll(kafka);
        builder.schemaRegistry.putAll(schemaRegistry);
        builder.topics = topics;
        builder.flows.addAll(flows);
        builder.flowSettings = flowSettings;
        builder.replyRoutes.putAll(replyRoutes.routes());
        builder.channels = channels;
        builder.conversation = conversation;
        builder.audit = audit;
        builder.admin = admin;
        builder.access = access;
        builder.rocksDb = rocksDb;
        builder.membership = membership;
        builder.inputs = inputs;
        builder.limits = limits;
        builder.tracing = tracing;
        builder.encryption = encryption;
        builder.telemetry = telemetry;
        builder.connectorCatalog = connectorCatalog;
        return builder;
    }

    /** Where the configuration came from, for messages ({@code processor.yaml}, or {@code code}). */
    public String source() {
        return source;
    }

    /** The {@code kafka:} section, as written. */
    public Map<String, String> kafka() {
        return kafka;
    }

    /** The {@code schemaRegistry:} section, as written. */
    public Map<String, String> schemaRegistry() {
        return schemaRegistry;
    }

    public String applicationId() {
        return kafka.getOrDefault("application.id", DEFAULT_APPLICATION_ID);
    }

    public TopicNames topics() {
        return topics;
    }

    public List<FlowSource> flows() {
        return flows;
    }

    /** Where flows come from: the files ({@link #flows()}), or a flow set published to {@code topics.flows}. */
    public FlowSettings flowSettings() {
        return flowSettings;
    }

    public ReplyRoutes replyRoutes() {
        return replyRoutes;
    }

    /** The {@code channels:} section: which channels share conversations between users. */
    public ChannelSettings channels() {
        return channels;
    }

    public ConversationSettings conversation() {
        return conversation;
    }

    public AuditSettings audit() {
        return audit;
    }

    public AdminSettings admin() {
        return admin;
    }

    /**
     * Who may call the admin endpoints: the {@code access:} section, plus {@code admin.sessionToken}
     * (the older single token) as an operator token named {@code admin.sessionToken}.
     */
    public AccessSettings access() {
        return admin.sessionToken().map(token -> access.withLegacyOperatorToken("admin.sessionToken", token)).orElse(access);
    }

    public RocksDbSettings rocksDb() {
        return rocksDb;
    }

    /** The {@code inputs:} section: how large the fields of a chat event may be. */
    public InputLimits inputs() {
        return inputs;
    }

    public MembershipSettings membership() {
        return membership;
    }

    /** The {@code limits:} section: how large what a turn keeps and writes may grow, and its CPU budget. */
    public Limits limits() {
        return limits;
    }

    /** The {@code tracing:} section: OpenTelemetry spans of turns and backend requests; off by default. */
    public TracingSettings tracing() {
        return tracing;
    }

    /** Encryption at rest of the personal parts of session values. */
    public EncryptionSettings encryption() {
        return encryption;
    }

    /** The {@code telemetry:} section: the trigger rules file; off by default. */
    public TelemetrySettings telemetry() {
        return telemetry;
    }

    /** The {@code connectorCatalog:} section: the start check of flow templates against the workers' connector catalog. */
    public ConnectorCatalogSettings connectorCatalog() {
        return connectorCatalog;
    }

    /** Builds a {@link ProcessorConfig}; every part not set has its default. */
    public static final class Builder {

        private String source = "code";
        private final Map<String, String> kafka = new LinkedHashMap<>();
        private final Map<String, String> schemaRegistry = new LinkedHashMap<>();
        private TopicNames topics = TopicNames.defaults();
        private final List<FlowSource> flows = new ArrayList<>();
        private FlowSettings flowSettings = FlowSettings.FILES;
        private final Map<String, String> replyRoutes = new LinkedHashMap<>();
        private ChannelSettings channels = ChannelSettings.DEFAULTS;
        private ConversationSettings conversation = ConversationSettings.DEFAULTS;
        private AuditSettings audit = AuditSettings.DEFAULTS;
        private AdminSettings admin = AdminSettings.DEFAULTS;
        private AccessSettings access = AccessSettings.NONE;
        private RocksDbSettings rocksDb = RocksDbSettings.DEFAULTS;
        private InputLimits inputs = InputLimits.DEFAULTS;
        private Limits limits = Limits.DEFAULTS;
        private MembershipSettings membership = MembershipSettings.DEFAULTS;
        private TracingSettings tracing = TracingSettings.off(DEFAULT_SERVICE_NAME);
        private EncryptionSettings encryption = EncryptionSettings.DEFAULTS;
        private TelemetrySettings telemetry = TelemetrySettings.OFF;
        private ConnectorCatalogSettings connectorCatalog = ConnectorCatalogSettings.DEFAULTS;

        private Builder() {
        }

        public Builder connectorCatalog(ConnectorCatalogSettings settings) {
            this.connectorCatalog = Objects.requireNonNull(settings, "settings");
            return this;
        }

        Builder source(String label) {
            this.source = label;
            return this;
        }

        /** Adds (or replaces) Kafka Streams settings. */
        public Builder kafka(Map<String, String> settings) {
            kafka.putAll(settings);
            return this;
        }

        public Builder kafka(String key, String value) {
            kafka.put(key, value);
            return this;
        }

        /** Adds (or replaces) Avro serde settings ({@code schema.registry.url}, ...). */
        public Builder schemaRegistry(Map<String, String> settings) {
            schemaRegistry.putAll(settings);
            return this;
        }

        public Builder schemaRegistry(String key, String value) {
            schemaRegistry.put(key, value);
            return this;
        }

        public Builder topics(TopicNames names) {
            this.topics = Objects.requireNonNull(names, "names");
            return this;
        }

        /** Where flows come from (default: the flow files). */
        public Builder flowSettings(FlowSettings settings) {
            this.flowSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Replaces the flow files. */
        public Builder flows(List<FlowSource> sources) {
            flows.clear();
            flows.addAll(sources);
            return this;
        }

        /** Adds a reply route: replies of conversations on {@code channel} go to {@code topic}. */
        public Builder replyRoute(String channel, String topic) {
            replyRoutes.put(channel, topic);
            return this;
        }

        public Builder replyRoutes(Map<String, String> routes) {
            replyRoutes.putAll(routes);
            return this;
        }

        public Builder channels(ChannelSettings settings) {
            this.channels = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Lets events of {@code channel} continue conversations other users started. */
        public Builder sharedConversations(String channel) {
            this.channels = channels.withSharedConversations(channel);
            return this;
        }

        public Builder conversation(ConversationSettings settings) {
            this.conversation = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder audit(AuditSettings settings) {
            this.audit = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder admin(AdminSettings settings) {
            this.admin = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Who may call the admin endpoints. */
        public Builder access(AccessSettings settings) {
            this.access = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The admin endpoint's port; {@code 0} picks a free one (tests, embedding). */
        public Builder adminPort(int port) {
            this.admin = admin.withPort(port);
            return this;
        }

        /** The bearer token of the session lookup. */
        public Builder adminSessionToken(Secret token) {
            this.admin = admin.withSessionToken(token);
            return this;
        }

        public Builder rocksDb(RocksDbSettings settings) {
            this.rocksDb = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder membership(MembershipSettings settings) {
            this.membership = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder inputs(InputLimits limits) {
            this.inputs = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder limits(Limits settings) {
            this.limits = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder tracing(TracingSettings settings) {
            this.tracing = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder encryption(EncryptionSettings settings) {
            this.encryption = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder telemetry(TelemetrySettings settings) {
            this.telemetry = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public ProcessorConfig build() {
            if (flows.isEmpty() && !flowSettings.fromTopic()) {
                throw new ConfigException("flows: at least one flow file is required");
            }
            if (membership.instanceId().isPresent()) {
                for (String key : kafka.keySet()) {
                    if (key.endsWith("group.instance.id")) {
                        throw new ConfigException("kafka." + key + " and membership.instanceId both set the instance id;"
                                + " keep membership.instanceId only");
                    }
                }
            }
            return new ProcessorConfig(this);
        }
    }
}
