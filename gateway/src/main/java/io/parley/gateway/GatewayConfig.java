package io.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.parley.gateway.channels.ChannelDefinition;
import io.parley.gateway.chat.ChatLimits;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Durations;
import io.parley.runtime.tracing.TracingSettings;
import io.parley.topics.TopicNames;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 */
public record GatewayConfig(String host, int port, String channel, String replyTopic, Map<String, Object> kafka,
                            Map<String, Object> serde, TopicNames topics, Tokens tokens, byte[] conversationKey,
                            ChatLimits limits, List<String> demoUsers, String consoleToken, Admin admin,
                            ConnectorHealthSources connectorHealth, URI flowGraph, TracingSettings tracing,
                            List<ChannelDefinition> channels) {

    /** The {@code service.name} of the gateway's spans unless {@code tracing.serviceName} says otherwise. */
    public static final String DEFAULT_SERVICE_NAME = "parley-gateway";

    public GatewayConfig {
        Objects.requireNonNull(tracing, "tracing");
        channels = List.copyOf(channels);
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

    private static final Set<String> TOP = Set.of("http", "channel", "replyTopic", "kafka", "schemaRegistry", "topics",
            "tokens", "conversationKey", "limits", "demo", "console", "admin", "tracing", "channels");

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
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": channels: a list of channels expected (channels: [- name: crm ...])");
        }
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            return ChannelsSection.read(new Reader(file), root.path("channels"), variables, webChannel, maxMessageChars);
        }
    }

    /** This configuration with other channels. */
    public GatewayConfig withChannels(List<ChannelDefinition> others) {
        return new GatewayConfig(host, port, channel, replyTopic, kafka, serde, topics, tokens, conversationKey, limits,
                demoUsers, consoleToken, admin, connectorHealth, flowGraph, tracing, others);
    }

    /** Parses the text of a gateway.yaml file called {@code file}. */
    public static GatewayConfig parse(String file, String yaml) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = new YAMLMapper().createObjectNode();
        }
        Reader r = new Reader(file);
        r.onlyKeys("", root, TOP);
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            JsonNode http = root.path("http");
            r.onlyKeys("http", http, Set.of("host", "port"));
            String host = r.text("http.host", http.path("host"), "0.0.0.0");
            int port = r.integer("http.port", http.path("port"), 8080, 0, 65535);
            String channel = r.text("channel", root.path("channel"), "web");
            if (!channel.matches("[a-z0-9_-]{1,40}")) {
                throw r.error("channel", channel, "use 1 to 40 of a-z, 0-9, _ and -");
            }
            String replyTopic = r.text("replyTopic", root.path("replyTopic"), "chat.replies." + channel);
            Map<String, Object> kafka = r.strings("kafka", root.path("kafka"), variables);
            if (!kafka.containsKey("bootstrap.servers")) {
                throw new ConfigException(file + ": kafka.bootstrap.servers: missing; the Kafka cluster to use");
            }
            Map<String, Object> serde = r.strings("schemaRegistry", root.path("schemaRegistry"), variables);
            if (!serde.containsKey("schema.registry.url")) {
                throw new ConfigException(file + ": schemaRegistry.schema.registry.url: missing");
            }
            Map<String, String> topicOverrides = new LinkedHashMap<>();
            r.strings("topics", root.path("topics"), variables).forEach((k, v) -> topicOverrides.put(k, v.toString()));
            TopicNames topics;
            try {
                topics = TopicNames.fromMap(topicOverrides);
                TopicNames.requireValidName("replyTopic", replyTopic);
            } catch (RuntimeException e) {
                throw new ConfigException(file + ": topics: " + e.getMessage());
            }

            JsonNode tok = root.path("tokens");
            r.onlyKeys("tokens", tok, Set.of("audience", "issuer", "hs256Secret", "jwksUrl"));
            String audience = r.text("tokens.audience", tok.path("audience"), "parley-web");
            String issuer = r.text("tokens.issuer", tok.path("issuer"), null);
            String secret = r.text("tokens.hs256Secret", tok.path("hs256Secret"), null);
            String jwks = r.text("tokens.jwksUrl", tok.path("jwksUrl"), null);
            if ((secret == null) == (jwks == null)) {
                throw new ConfigException(file + ": tokens: set exactly one of hs256Secret and jwksUrl");
            }
            byte[] secretBytes = null;
            if (secret != null) {
                secretBytes = variables.resolve(file + ": tokens.hs256Secret", secret).getBytes(StandardCharsets.UTF_8);
                if (secretBytes.length < 32) {
                    throw new ConfigException(file + ": tokens.hs256Secret: too short; HS256 needs at least 32 bytes");
                }
            }
            URI jwksUrl = null;
            if (jwks != null) {
                try {
                    jwksUrl = URI.create(jwks);
                    jwksUrl.toURL();
                } catch (Exception e) {
                    throw r.error("tokens.jwksUrl", jwks, "not a URL");
                }
            }
            String key = r.text("conversationKey", root.path("conversationKey"), null);
            if (key == null) {
                throw new ConfigException(file + ": conversationKey: missing; a secret of at least 32 bytes "
                        + "(for example ${env:GATEWAY_CONVERSATION_KEY}) that binds conversation ids to users");
            }
            byte[] keyBytes = variables.resolve(file + ": conversationKey", key).getBytes(StandardCharsets.UTF_8);
            if (keyBytes.length < 32) {
                throw new ConfigException(file + ": conversationKey: too short; at least 32 bytes");
            }

            JsonNode lim = root.path("limits");
            ChatLimits d = ChatLimits.defaults();
            r.onlyKeys("limits", lim, Set.of("maxMessageChars", "messagesPerSecond", "messageBurst",
                    "maxConnectionsPerUser", "repliesPerConversation", "bufferedConversations", "bufferedReplies",
                    "replayWindow"));
            ChatLimits limits = new ChatLimits(
                    r.integer("limits.maxMessageChars", lim.path("maxMessageChars"), d.maxMessageChars(), 1, 100_000),
                    r.decimal("limits.messagesPerSecond", lim.path("messagesPerSecond"), d.messagesPerSecond()),
                    r.integer("limits.messageBurst", lim.path("messageBurst"), d.messageBurst(), 1, 1000),
                    r.integer("limits.maxConnectionsPerUser", lim.path("maxConnectionsPerUser"),
                            d.maxConnectionsPerUser(), 1, 1000),
                    r.integer("limits.repliesPerConversation", lim.path("repliesPerConversation"),
                            d.repliesPerConversation(), 1, 10_000),
                    r.integer("limits.bufferedConversations", lim.path("bufferedConversations"),
                            d.bufferedConversations(), 1, 10_000_000),
                    r.integer("limits.bufferedReplies", lim.path("bufferedReplies"), d.bufferedReplies(), 1, 10_000_000),
                    r.duration("limits.replayWindow", lim.path("replayWindow"), d.replayWindow()));

            JsonNode demo = root.path("demo");
            r.onlyKeys("demo", demo, Set.of("users"));
            List<String> users = new ArrayList<>();
            if (!demo.path("users").isMissingNode()) {
                if (!demo.path("users").isArray()) {
                    throw new ConfigException(file + ": demo.users: a list of user ids expected");
                }
                demo.path("users").forEach(u -> users.add(u.asText()));
            }
            JsonNode console = root.path("console");
            r.onlyKeys("console", console, Set.of("adminToken", "workers", "healthInterval", "flowGraph"));
            List<URI> workers = new ArrayList<>();
            JsonNode workerList = console.path("workers");
            if (!workerList.isMissingNode() && !workerList.isNull()) {
                if (!workerList.isArray()) {
                    throw new ConfigException(file + ": console.workers: a list of the workers' metrics URLs expected"
                            + " (http://worker-1:9101/metrics)");
                }
                for (JsonNode url : workerList) {
                    workers.add(httpUrl(r, "console.workers", url.asText(),
                            "a worker's metrics URL expected (http://worker-1:9101/metrics)"));
                }
            }
            Duration healthInterval = r.duration("console.healthInterval", console.path("healthInterval"),
                    ConnectorHealthSources.DEFAULT_INTERVAL);
            String flowGraphText = r.text("console.flowGraph", console.path("flowGraph"), null);
            URI flowGraph = flowGraphText == null ? null : httpUrl(r, "console.flowGraph", flowGraphText,
                    "a processor's flow picture URL expected (http://processor:8085/flows/graph.svg)");
            String consoleToken = r.text("console.adminToken", console.path("adminToken"), null);
            if (consoleToken != null) {
                consoleToken = variables.resolve(file + ": console.adminToken", consoleToken);
                if (consoleToken.length() < 16) {
                    throw new ConfigException(file + ": console.adminToken: too short; at least 16 characters");
                }
            }
            JsonNode adminNode = root.path("admin");
            r.onlyKeys("admin", adminNode, Set.of("host", "port"));
            Admin admin = new Admin(r.text("admin.host", adminNode.path("host"), "127.0.0.1"),
                    r.integer("admin.port", adminNode.path("port"), Admin.DEFAULT_PORT, 0, 65535));
            TracingSettings tracing = TracingSettings.read(file, "tracing", root.path("tracing"), DEFAULT_SERVICE_NAME);
            List<ChannelDefinition> channels = ChannelsSection.read(r, root.path("channels"), variables, channel,
                    limits.maxMessageChars());
            return new GatewayConfig(host, port, channel, replyTopic, kafka, serde, topics,
                    new Tokens(audience, issuer, secretBytes, jwksUrl), keyBytes, limits, List.copyOf(users),
                    consoleToken, admin, new ConnectorHealthSources(List.copyOf(workers), healthInterval), flowGraph, tracing,
                    channels);
        }
    }

    static URI httpUrl(Reader r, String where, String text, String expected) {
        try {
            URI uri = URI.create(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw r.error(where, text, expected);
        }
    }

    /** Typed reads whose errors name the file and the entry. */
    record Reader(String file) {

        ConfigException error(String where, Object value, String why) {
            return new ConfigException(file + ": " + where + ": " + value + " is not accepted; " + why);
        }

        void onlyKeys(String where, JsonNode node, Set<String> allowed) {
            if (node.isMissingNode() || node.isNull()) {
                return;
            }
            if (!node.isObject()) {
                throw new ConfigException(file + ": " + (where.isEmpty() ? "(top)" : where) + ": a mapping expected");
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw new ConfigException(file + ": " + (where.isEmpty() ? "" : where + ".") + k
                            + ": unknown key; known keys are " + new java.util.TreeSet<>(allowed));
                }
            }
        }

        String text(String where, JsonNode node, String fallback) {
            if (node.isMissingNode() || node.isNull()) {
                return fallback;
            }
            if (!node.isValueNode() || node.asText().isBlank()) {
                throw error(where, node, "a non-empty text expected");
            }
            return node.asText();
        }

        int integer(String where, JsonNode node, int fallback, int min, int max) {
            if (node.isMissingNode() || node.isNull()) {
                return fallback;
            }
            if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min || node.asInt() > max) {
                throw error(where, node, "allowed are whole numbers from " + min + " to " + max);
            }
            return node.asInt();
        }

        double decimal(String where, JsonNode node, double fallback) {
            if (node.isMissingNode() || node.isNull()) {
                return fallback;
            }
            if (!node.isNumber() || node.asDouble() <= 0 || node.asDouble() > 10_000) {
                throw error(where, node, "allowed are numbers above 0 up to 10000");
            }
            return node.asDouble();
        }

        Duration duration(String where, JsonNode node, Duration fallback) {
            if (node.isMissingNode() || node.isNull()) {
                return fallback;
            }
            return Durations.parse(file + ": " + where, node.asText());
        }

        Map<String, Object> strings(String where, JsonNode node, ConfigVariables variables) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (node.isMissingNode() || node.isNull()) {
                return out;
            }
            if (!node.isObject()) {
                throw new ConfigException(file + ": " + where + ": a mapping expected");
            }
            node.fields().forEachRemaining(e -> out.put(e.getKey(),
                    variables.resolve(file + ": " + where + "." + e.getKey(), e.getValue().asText())));
            return out;
        }
    }
}
