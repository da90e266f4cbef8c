package io.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.channels.ChannelDefinition;
import io.parley.gateway.chat.ChatLimits;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.runtime.access.AccessSettings;
import io.parley.runtime.audit.AuditSection;
import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import io.parley.runtime.config.KafkaSettings;
import io.parley.runtime.tracing.TracingSettings;
import io.parley.topics.TopicNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;

/**
 * The gateway's configuration, read once from {@code gateway.yaml}. Errors name the file and the
 * entry ({@code gateway.yaml: limits.messagesPerSecond: ...}); unknown keys are refused.
 *
 * @param host address the HTTP server binds
 * @param port HTTP port (0 picks a free one)
 * @param channel the channel name written into chat events; replies come on {@code replyTopic}
 * @param replyTopic this channel's reply topic, {@code chat.replies.<channel>} by default
 * @param kafka Kafka client settings (bootstrap.servers, security)
 * @param serde serde settings (schema.registry.url, ...)
 * @param topics topic names
 * @param tokens how user tokens are verified
 * @param conversationKey key binding conversation ids to users (at least 32 bytes)
 * @param limits web chat limits
 * @param demoUsers users who get a demo token at {@code /demo/token}; empty outside local mode
 * @param consoleToken the admin token of the console ({@code /console}); null turns the console off
 * @param admin where {@code /metrics} and {@code /health/*} are served, apart from the chat port
 * @param connectorHealth the workers' metrics pages the console reads connector health from
 * @param flowGraph a processor's {@code /flows/graph.svg}, the console's picture of the flows; null: none
 * @param tracing OpenTelemetry spans of the chat messages received; off by default
 * @param channels the generic webhook/REST channels and platform adapters ({@code /channels/<name>/...}); none by default
 * @param access who may use the console, by role ({@code access:}); {@code consoleToken} is added to it as an operator
 * @param flowGraphToken {@code console.flowGraphToken}: a viewer credential for {@code flowGraph} when the processor's
 *        {@code access:} is configured; null: none sent
 * @param audit how audit records written by the gateway (operator actions, undeliverable channel replies) refer to
 *        users: the processor's {@code audit:} keys, with the same key
 */
public record GatewayConfig(String host, int port, String channel, String replyTopic, Map<String, Object> kafka,
                            Map<String, Object> serde, TopicNames topics, Tokens tokens, byte[] conversationKey,
                            ChatLimits limits, List<String> demoUsers, String consoleToken, Admin admin,
                            ConnectorHealthSources connectorHealth, URI flowGraph, TracingSettings tracing,
                            List<ChannelDefinition> channels, AccessSettings access, Secret flowGraphToken,
                            AuditSection audit) {

    /** The {@code service.name} of the gateway's spans unless {@code tracing.serviceName} says otherwise. */
    public static final String DEFAULT_SERVICE_NAME = "parley-gateway";

    public GatewayConfig {
        Objects.requireNonNull(tracing, "tracing");
        Objects.requireNonNull(access, "access");
        channels = List.copyOf(channels);
        Objects.requireNonNull(audit, "audit");
    }

    /**
     * A configuration without an {@code access:} section (the console, if on, has only its admin token) whose audit
     * records name users in clear.
     */
    public GatewayConfig(String host, int port, String channel, String replyTopic, Map<String, Object> kafka,
                         Map<String, Object> serde, TopicNames topics, Tokens tokens, byte[] conversationKey,
                         ChatLimits limits, List<String> demoUsers, String consoleToken, Admin admin,
                         ConnectorHealthSources connectorHealth, URI flowGraph, TracingSettings tracing,
                         List<ChannelDefinition> channels) {
        this(host, port, channel, replyTopic, kafka, serde, topics, tokens, conversationKey, limits, demoUsers, consoleToken,
                admin, connectorHealth, flowGraph, tracing, channels, AccessSettings.NONE, null, AuditSection.DEFAULTS);
    }

    /** Who may use the console: {@code access:} plus {@code console.adminToken} as an operator token of that name. */
    public AccessSettings consoleAccess() {
        return consoleToken == null ? access : access.withLegacyOperatorToken("console.adminToken", Secret.of(consoleToken));
    }

    /** A configuration without generic channels. */
    public GatewayConfig(String host, int port, String channel, String replyTopic, Map<String, Object> kafka,
                         Map<String, Object> serde, TopicNames topics, Tokens tokens, byte[] conversationKey,
                         ChatLimits limits, List<String> demoUsers, String consoleToken, Admin admin,
                         ConnectorHealthSources connectorHealth, URI flowGraph, TracingSettings tracing) {
        this(host, port, channel, replyTopic, kafka, serde, topics, tokens, conversationKey, limits, demoUsers, consoleToken,
                admin, connectorHealth, flowGraph, tracing, List.of());
    }

    /** A configuration with tracing off (local mode, tests). */
    public GatewayConfig(String host, int port, String channel, String replyTopic, Map<String, Object> kafka,
                         Map<String, Object> serde, TopicNames topics, Tokens tokens, byte[] conversationKey,
                         ChatLimits limits, List<String> demoUsers, String consoleToken, Admin admin,
                         ConnectorHealthSources connectorHealth, URI flowGraph) {
        this(host, port, channel, replyTopic, kafka, serde, topics, tokens, conversationKey, limits, demoUsers, consoleToken,
                admin, connectorHealth, flowGraph, TracingSettings.off(DEFAULT_SERVICE_NAME));
    }

    /**
     * Where the console's connector health comes from: each worker's {@code /metrics} page, read every
     * {@code interval}. No workers: the console shows no connector health.
     */
    public record ConnectorHealthSources(List<URI> workers, Duration interval) {
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

        public static ConnectorHealthSources none() {
            return new ConnectorHealthSources(List.of(), DEFAULT_INTERVAL);
        }
    }

    /** The admin endpoint's address: 127.0.0.1:9103 by default; port 0 picks a free one. */
    public record Admin(String host, int port) {
        public static final int DEFAULT_PORT = 9103;
    }

    /**
     * Token verification: HS256 with {@code hs256Secret}, or RS256 with keys from {@code jwksUrl}.
     *
     * @param audience the {@code aud} a token must carry
     * @param issuer the {@code iss} a token must carry, or null for any
     */
    public record Tokens(String audience, String issuer, byte[] hs256Secret, URI jwksUrl) {
        public Tokens {
            Objects.requireNonNull(audience, "audience");
            if ((hs256Secret == null) == (jwksUrl == null)) {
                throw new IllegalArgumentException("exactly one of hs256Secret and jwksUrl");
            }
        }
    }

    /** The keys of gateway.yaml, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys TOP = ConfigKeys.section("", "gateway.yaml: the web chat gateway")
            .key("http", "section", "", "the chat server's address")
            .key("channel", "name", "web", "the channel name written into chat events (1 to 40 of a-z, 0-9, _, -)")
            .key("replyTopic", "topic name", "chat.replies.<channel>", "this channel's reply topic")
            .key("kafka", "Kafka client properties", "", "passed to the clients; bootstrap.servers is required")
            .key("schemaRegistry", "serde properties", "", "schema.registry.url is required")
            .key("topics", "topic names", "defaults", "overrides of topic names by logical name")
            .key("tokens", "section", "", "how user tokens are verified")
            .key("conversationKey", "secret", "", "binds conversation ids to users, at least 32 bytes (required)")
            .key("limits", "section", "", "web chat limits")
            .key("demo", "section", "", "demo users (local mode)")
            .key("console", "section", "off", "the admin console")
            .key("access", "section", "none", "who may use the console, by role (docs/rbac.md)")
            .key("admin", "section", "", "where /metrics and /health/* are served")
            .key("tracing", "section", "off", "OpenTelemetry spans of the chat messages")
            .key("channels", "list", "none", "webhook/REST channels and platform adapters (see the channels guide)")
            .key("audit", "section", "users in clear", "how audit records of undeliverable channel replies refer to users; the same keys and key as the processor's");
    public static final ConfigKeys HTTP = ConfigKeys.section("http", "The chat server")
            .key("host", "host", "0.0.0.0", "address to listen on")
            .key("port", "integer 0-65535", "8080", "port; 0 picks a free one");
    public static final ConfigKeys TOKENS = ConfigKeys.section("tokens", "User tokens: exactly one of hs256Secret and jwksUrl")
            .key("audience", "text", "parley-web", "the aud a token must carry")
            .key("issuer", "text", "any", "the iss a token must carry")
            .key("hs256Secret", "secret", "", "HS256 key, at least 32 bytes")
            .key("jwksUrl", "URL", "", "where RS256 keys are fetched");
    public static final ConfigKeys LIMITS = ConfigKeys.section("limits", "Web chat limits")
            .key("maxMessageChars", "integer 1-100000", String.valueOf(ChatLimits.defaults().maxMessageChars()),
                    "longest message accepted")
            .key("messagesPerSecond", "number above 0 up to 10000", String.valueOf(ChatLimits.defaults().messagesPerSecond()),
                    "messages a user may send per second")
            .key("messageBurst", "integer 1-1000", String.valueOf(ChatLimits.defaults().messageBurst()), "burst above the rate")
            .key("maxConnectionsPerUser", "integer 1-1000", String.valueOf(ChatLimits.defaults().maxConnectionsPerUser()),
                    "open connections per user")
            .key("repliesPerConversation", "integer 1-10000", String.valueOf(ChatLimits.defaults().repliesPerConversation()),
                    "replies kept per conversation for reconnects")
            .key("bufferedConversations", "integer 1-10000000", String.valueOf(ChatLimits.defaults().bufferedConversations()),
                    "conversations whose replies are kept")
            .key("bufferedReplies", "integer 1-10000000", String.valueOf(ChatLimits.defaults().bufferedReplies()),
                    "replies kept in all")
            .key("replayWindow", "duration", ConfigKeys.duration(ChatLimits.defaults().replayWindow()),
                    "how long replies are kept for a reconnect");
    public static final ConfigKeys DEMO = ConfigKeys.section("demo", "Local mode's demo users")
            .key("users", "list of user ids", "none", "users who get a demo token at /demo/token");
    public static final ConfigKeys CONSOLE = ConfigKeys.section("console", "The admin console (/console)")
            .key("adminToken", "secret", "none (console off)", "the console's admin token, at least 16 characters")
            .key("workers", "list of URLs", "none", "the workers' /metrics pages, for connector health")
            .key("healthInterval", "duration", ConfigKeys.duration(ConnectorHealthSources.DEFAULT_INTERVAL),
                    "how often connector health is read")
            .key("flowGraph", "URL", "none", "a processor's /flows/graph.svg")
            .key("flowGraphToken", "secret", "none",
                    "a viewer token (or JWT) sent to flowGraph when the processor's access: section is configured");
    public static final ConfigKeys ADMIN = ConfigKeys.section("admin", "The admin endpoint (/metrics, /health/*)")
            .key("host", "host", "127.0.0.1", "address to listen on")
            .key("port", "integer 0-65535", String.valueOf(Admin.DEFAULT_PORT), "port; 0 picks a free one");

    /** Every declared section of the file, in the order the reference lists them. */
    public static final List<ConfigKeys> SECTIONS = Stream.concat(
            Stream.of(TOP, HTTP, TOKENS, LIMITS, DEMO, CONSOLE, AccessSettings.KEYS,
            AccessSettings.TOKEN_KEYS, AccessSettings.OIDC_KEYS, ADMIN, TracingSettings.KEYS, AuditSection.KEYS),
            ChannelsSection.SECTIONS.stream()).toList();

    /** Reads a gateway.yaml file. */
    public static GatewayConfig read(Path file) {
        String name = file.getFileName().toString();
        try {
            return parse(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot be read: " + e.getMessage());
        }
    }

    /**
     * Reads only the {@code channels:} list of a gateway.yaml text (local mode serves the channels of a file like
     * that); other keys are not read.
     */
    public static List<ChannelDefinition> parseChannels(String file, String yaml, String webChannel,
                                                        int maxMessageChars) {
        JsonNode root = ConfigSection.readTree(file, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": channels: a list of channels expected (channels: [- name: crm ...])");
        }
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            return ChannelsSection.read(ConfigSection.root(file, root), variables, webChannel, maxMessageChars);
        }
    }

    /** This configuration with other channels. */
    public GatewayConfig withChannels(List<ChannelDefinition> others) {
        return new GatewayConfig(host, port, channel, replyTopic, kafka, serde, topics, tokens, conversationKey, limits,
                demoUsers, consoleToken, admin, connectorHealth, flowGraph, tracing, others, access, flowGraphToken, audit);
    }

    /** This configuration sending {@code token} to {@link #flowGraph()} (a credential of the processor's admin endpoint). */
    public GatewayConfig withFlowGraphToken(Secret token) {
        return new GatewayConfig(host, port, channel, replyTopic, kafka, serde, topics, tokens, conversationKey, limits,
                demoUsers, consoleToken, admin, connectorHealth, flowGraph, tracing, channels, access, token, audit);
    }

    /** This configuration with other audit settings. */
    public GatewayConfig withAudit(AuditSection other) {
        return new GatewayConfig(host, port, channel, replyTopic, kafka, serde, topics, tokens, conversationKey, limits,
                demoUsers, consoleToken, admin, connectorHealth, flowGraph, tracing, channels, access, flowGraphToken, other);
    }

    /** Parses the text of a gateway.yaml file called {@code file}. */
    public static GatewayConfig parse(String file, String yaml) {
        ConfigSection root = ConfigSection.parse(file, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        root.allowOnly(TOP);
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            ConfigSection http = root.section("http").allowOnly(HTTP);
            String host = text(http, "host", "0.0.0.0");
            int port = wholeNumber(http, "port", 8080, 0, 65535);
            String channel = text(root, "channel", "web");
            if (!channel.matches("[a-z0-9_-]{1,40}")) {
                throw notAccepted(root, "channel", channel, "use 1 to 40 of a-z, 0-9, _ and -");
            }
            String replyTopic = text(root, "replyTopic", "chat.replies." + channel);
            KafkaSettings kafka = KafkaSettings.read(root, "kafka", variables).requireBootstrapServers(root, "kafka");
            Map<String, Object> serde = resolved(root, "schemaRegistry", variables);
            if (!serde.containsKey("schema.registry.url")) {
                throw root.error("schemaRegistry.schema.registry.url", "missing");
            }
            Map<String, String> topicOverrides = new LinkedHashMap<>();
            resolved(root, "topics", variables).forEach((k, v) -> topicOverrides.put(k, v.toString()));
            TopicNames topics;
            try {
                topics = TopicNames.fromMap(topicOverrides);
                TopicNames.requireValidName("replyTopic", replyTopic);
            } catch (RuntimeException e) {
                throw root.error("topics", e.getMessage());
            }

            ConfigSection tok = root.section("tokens").allowOnly(TOKENS);
            String audience = text(tok, "audience", "parley-web");
            String issuer = text(tok, "issuer", null);
            String secret = text(tok, "hs256Secret", null);
            String jwks = text(tok, "jwksUrl", null);
            if ((secret == null) == (jwks == null)) {
                throw tok.error("set exactly one of hs256Secret and jwksUrl");
            }
            byte[] secretBytes = null;
            if (secret != null) {
                secretBytes = variables.resolve(tok.where("hs256Secret"), secret).getBytes(StandardCharsets.UTF_8);
                if (secretBytes.length < 32) {
                    throw tok.error("hs256Secret", "too short; HS256 needs at least 32 bytes");
                }
            }
            URI jwksUrl = null;
            if (jwks != null) {
                try {
                    jwksUrl = URI.create(jwks);
                    jwksUrl.toURL();
                } catch (Exception e) {
                    throw notAccepted(tok, "jwksUrl", jwks, "not a URL");
                }
            }
            String key = text(root, "conversationKey", null);
            if (key == null) {
                throw root.error("conversationKey", "missing; a secret of at least 32 bytes "
                        + "(for example ${env:GATEWAY_CONVERSATION_KEY}) that binds conversation ids to users");
            }
            byte[] keyBytes = variables.resolve(root.where("conversationKey"), key).getBytes(StandardCharsets.UTF_8);
            if (keyBytes.length < 32) {
                throw root.error("conversationKey", "too short; at least 32 bytes");
            }

            ConfigSection lim = root.section("limits").allowOnly(LIMITS);
            ChatLimits d = ChatLimits.defaults();
            ChatLimits limits = new ChatLimits(
                    wholeNumber(lim, "maxMessageChars", d.maxMessageChars(), 1, 100_000),
                    rate(lim, "messagesPerSecond", d.messagesPerSecond()),
                    wholeNumber(lim, "messageBurst", d.messageBurst(), 1, 1000),
                    wholeNumber(lim, "maxConnectionsPerUser", d.maxConnectionsPerUser(), 1, 1000),
                    wholeNumber(lim, "repliesPerConversation", d.repliesPerConversation(), 1, 10_000),
                    wholeNumber(lim, "bufferedConversations", d.bufferedConversations(), 1, 10_000_000),
                    wholeNumber(lim, "bufferedReplies", d.bufferedReplies(), 1, 10_000_000),
                    lim.duration("replayWindow", d.replayWindow()));

            ConfigSection demo = root.section("demo").allowOnly(DEMO);
            if (demo.has("users") && !demo.raw("users").isArray()) {
                throw demo.error("users", "a list of user ids expected");
            }
            List<String> users = demo.stringList("users");
            ConfigSection console = root.section("console").allowOnly(CONSOLE);
            if (console.has("workers") && !console.raw("workers").isArray()) {
                throw console.error("workers", "a list of the workers' metrics URLs expected (http://worker-1:9101/metrics)");
            }
            List<URI> workers = new ArrayList<>();
            for (String url : console.stringList("workers")) {
                workers.add(httpUrl(console, "workers", url, "a worker's metrics URL expected (http://worker-1:9101/metrics)"));
            }
            Duration healthInterval = console.duration("healthInterval", ConnectorHealthSources.DEFAULT_INTERVAL);
            String flowGraphText = text(console, "flowGraph", null);
            URI flowGraph = flowGraphText == null ? null : httpUrl(console, "flowGraph", flowGraphText,
                    "a processor's flow picture URL expected (http://processor:8085/flows/graph.svg)");
            String consoleToken = text(console, "adminToken", null);
            if (consoleToken != null) {
                consoleToken = variables.resolve(console.where("adminToken"), consoleToken);
                if (consoleToken.length() < 16) {
                    throw console.error("adminToken", "too short; at least 16 characters");
                }
            }
            AccessSettings access = AccessSettings.read(root.section("access"), variables);
            Secret flowGraphToken = console.secret("flowGraphToken", variables).orElse(null);
            ConfigSection adminSection = root.section("admin").allowOnly(ADMIN);
            Admin admin = new Admin(text(adminSection, "host", "127.0.0.1"),
                    wholeNumber(adminSection, "port", Admin.DEFAULT_PORT, 0, 65535));
            TracingSettings tracing = TracingSettings.read(root.section("tracing"), DEFAULT_SERVICE_NAME);
            List<ChannelDefinition> channels = ChannelsSection.read(root, variables, channel, limits.maxMessageChars());
            AuditSection audit = AuditSection.read(root.section("audit"), variables);
            return new GatewayConfig(host, port, channel, replyTopic, kafka.clientProperties(), serde, topics,
                    new Tokens(audience, issuer, secretBytes, jwksUrl), keyBytes, limits, List.copyOf(users),
                    consoleToken, admin, new ConnectorHealthSources(List.copyOf(workers), healthInterval), flowGraph, tracing,
                    channels, access, flowGraphToken, audit);
        }
    }

    static URI httpUrl(ConfigSection section, String key, String text, String expected) {
        try {
            URI uri = URI.create(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw notAccepted(section, key, text, expected);
        }
    }

    // The gateway's wording of bad values: "<value> is not accepted; <why>".

    static ConfigException notAccepted(ConfigSection section, String key, Object value, String why) {
        return section.error(key, value + " is not accepted; " + why);
    }

    /** A single value that is not blank, or {@code fallback} when absent. */
    static String text(ConfigSection section, String key, String fallback) {
        JsonNode value = section.raw(key);
        if (!value.isMissingNode() && (!value.isValueNode() || value.asText().isBlank())) {
            throw notAccepted(section, key, value, "a non-empty text expected");
        }
        return section.string(key, fallback);
    }

    /** A whole number from {@code min} to {@code max}. */
    static int wholeNumber(ConfigSection section, String key, int fallback, int min, int max) {
        JsonNode value = section.raw(key);
        if (!value.isMissingNode() && (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min
                || value.asInt() > max)) {
            throw notAccepted(section, key, value, "allowed are whole numbers from " + min + " to " + max);
        }
        return section.intValue(key, fallback, min, max);
    }

    /** A positive duration. */
    static Duration positive(ConfigSection section, String key, Duration fallback) {
        Duration d = section.duration(key, fallback);
        if (d.isZero() || d.isNegative()) {
            throw notAccepted(section, key, section.string(key, ""), "a positive duration expected (5m, 30s)");
        }
        return d;
    }

    private static double rate(ConfigSection section, String key, double fallback) {
        JsonNode value = section.raw(key);
        if (!value.isMissingNode() && (!value.isNumber() || value.asDouble() <= 0 || value.asDouble() > 10_000)) {
            throw notAccepted(section, key, value, "allowed are numbers above 0 up to 10000");
        }
        return section.doubleValue(key, fallback, Double.MIN_VALUE, 10_000);
    }

    /** A mapping of properties with {@code ${...}} references resolved. */
    private static Map<String, Object> resolved(ConfigSection root, String key, ConfigVariables variables) {
        Map<String, Object> out = new LinkedHashMap<>();
        root.stringMap(key).forEach((name, value) -> out.put(name, variables.resolve(root.where(key) + "." + name, value)));
        return out;
    }
}
