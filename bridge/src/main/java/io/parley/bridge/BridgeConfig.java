package io.parley.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.topics.TopicNames;
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
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * The bridge's configuration, read once from {@code bridge.yaml}. Errors name the file and the
 * entry ({@code bridge.yaml: subscriptions[0].value: ...}); unknown keys are refused.
 *
 * @param mqtt the MQTT broker and session
 * @param subscriptions the topic filters and how their payloads map to telemetry
 * @param kafka Kafka client settings (bootstrap.servers, security)
 * @param serde serde settings (schema.registry.url, ...)
 * @param topics topic names; the bridge writes {@code iotTelemetry}
 * @param deadLetterTopic where messages that cannot be mapped go, with the reason in headers
 * @param commands device commands from Kafka to MQTT; null when off
 * @param admin where {@code /metrics} and {@code /health/*} are served
 */
public record BridgeConfig(Mqtt mqtt, List<Subscription> subscriptions, Map<String, Object> kafka,
                           Map<String, Object> serde, TopicNames topics, String deadLetterTopic, Commands commands,
                           Admin admin) {

    public static final String DEFAULT_DEAD_LETTER_TOPIC = "iot.telemetry.dlq";
    public static final String DEFAULT_COMMAND_TEMPLATE = "devices/{deviceId}/commands";

    /**
     * The MQTT side.
     *
     * @param serverUri {@code tcp://host:1883} or {@code ssl://host:8883}
     * @param clientId the client id; with {@code cleanSession: false} the broker keeps its subscriptions and
     *                 unacknowledged messages under this id while the bridge is away
     * @param username null for none
     * @param password null for none; never logged
     * @param cleanSession false (default) keeps the session across restarts: nothing published meanwhile is lost
     * @param keepAlive MQTT keep-alive interval
     * @param connectTimeout how long one connection attempt may take
     * @param reconnectInitialDelay the first wait before connecting again; doubled after each failure
     * @param reconnectMaxDelay the longest wait between attempts
     */
    public record Mqtt(URI serverUri, String clientId, String username, Secret password, boolean cleanSession,
                       Duration keepAlive, Duration connectTimeout, Duration reconnectInitialDelay,
                       Duration reconnectMaxDelay) {
    }

    /**
     * Commands for devices: each record on the Kafka {@code topic} (key: device id, value: the payload bytes)
     * is published at QoS 1 to the MQTT topic made from {@code mqttTopic} ({@code {deviceId}} replaced).
     */
    public record Commands(String topic, String mqttTopic, String groupId) {

        /** The MQTT topic of a device's commands. */
        public String mqttTopicFor(String deviceId) {
            return mqttTopic.replace("{deviceId}", deviceId);
        }
    }

    /** The admin endpoint's address: 127.0.0.1:9104 by default; port 0 picks a free one. */
    public record Admin(String host, int port) {
        public static final int DEFAULT_PORT = 9104;
    }

    private static final Set<String> TOP = Set.of("mqtt", "subscriptions", "kafka", "schemaRegistry", "topics",
            "deadLetterTopic", "commands", "admin");
    private static final Set<String> MQTT = Set.of("serverUri", "clientId", "username", "password", "cleanSession",
            "keepAlive", "connectTimeout", "reconnect");
    private static final Set<String> SUBSCRIPTION = Set.of("filter", "deviceId", "metric", "value", "eventTime",
            "eventId", "attributes");

    /** Reads a bridge.yaml file. */
    public static BridgeConfig read(Path file) {
        String name = file.getFileName().toString();
        try {
            return parse(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot be read: " + e.getMessage());
        }
    }

    /** Parses the text of a bridge.yaml file called {@code file}. */
    public static BridgeConfig parse(String file, String yaml) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = new YAMLMapper().createObjectNode();
        }
        ConfigReader r = new ConfigReader(file);
        r.onlyKeys("", root, TOP);
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            Mqtt mqtt = mqtt(r, root.path("mqtt"), variables);
            List<Subscription> subscriptions = subscriptions(r, root.path("subscriptions"));

            Map<String, Object> kafka = r.strings("kafka", root.path("kafka"), variables);
            if (!kafka.containsKey("bootstrap.servers")) {
                throw r.missing("kafka.bootstrap.servers", "the Kafka cluster to write telemetry to");
            }
            Map<String, Object> serde = r.strings("schemaRegistry", root.path("schemaRegistry"), variables);
            if (!serde.containsKey("schema.registry.url")) {
                throw r.missing("schemaRegistry.schema.registry.url", "the Schema Registry of the Avro values");
            }
            Map<String, String> topicOverrides = new LinkedHashMap<>();
            r.strings("topics", root.path("topics"), variables).forEach((k, v) -> topicOverrides.put(k, v.toString()));
            TopicNames topics;
            try {
                topics = TopicNames.fromMap(topicOverrides);
            } catch (RuntimeException e) {
                throw new ConfigException(file + ": topics: " + e.getMessage());
            }
            String deadLetterTopic = topicName(r, "deadLetterTopic",
                    r.text("deadLetterTopic", root.path("deadLetterTopic"), DEFAULT_DEAD_LETTER_TOPIC));

            JsonNode cmd = root.path("commands");
            r.onlyKeys("commands", cmd, Set.of("topic", "mqttTopic", "groupId"));
            Commands commands = null;
            if (!cmd.isMissingNode() && !cmd.isNull()) {
                String topic = r.text("commands.topic", cmd.path("topic"), null);
                if (topic == null) {
                    throw r.missing("commands.topic", "the Kafka topic of device commands (key: device id)");
                }
                topicName(r, "commands.topic", topic);
                String template = r.text("commands.mqttTopic", cmd.path("mqttTopic"), DEFAULT_COMMAND_TEMPLATE);
                if (!template.contains("{deviceId}") || template.contains("+") || template.contains("#")) {
                    throw r.error("commands.mqttTopic", template,
                            "an MQTT topic with {deviceId} and no wildcards expected, e.g. " + DEFAULT_COMMAND_TEMPLATE);
                }
                commands = new Commands(topic, template,
                        r.text("commands.groupId", cmd.path("groupId"), "parley-bridge-commands"));
            }

            JsonNode adminNode = root.path("admin");
            r.onlyKeys("admin", adminNode, Set.of("host", "port"));
            Admin admin = new Admin(r.text("admin.host", adminNode.path("host"), "127.0.0.1"),
                    r.integer("admin.port", adminNode.path("port"), Admin.DEFAULT_PORT, 0, 65535));
            return new BridgeConfig(mqtt, subscriptions, kafka, serde, topics, deadLetterTopic, commands, admin);
        }
    }

    private static Mqtt mqtt(ConfigReader r, JsonNode node, ConfigVariables variables) {
        if (node.isMissingNode() || node.isNull()) {
            throw r.missing("mqtt", "the MQTT broker (mqtt.serverUri, mqtt.clientId)");
        }
        r.onlyKeys("mqtt", node, MQTT);
        String uriText = r.text("mqtt.serverUri", node.path("serverUri"), null);
        if (uriText == null) {
            throw r.missing("mqtt.serverUri", "the MQTT broker, e.g. tcp://mosquitto:1883");
        }
        URI serverUri;
        try {
            serverUri = URI.create(variables.resolve(r.file() + ": mqtt.serverUri", uriText));
        } catch (IllegalArgumentException e) {
            throw r.error("mqtt.serverUri", uriText, "a URI like tcp://host:1883 or ssl://host:8883 expected");
        }
        if (!Set.of("tcp", "ssl").contains(serverUri.getScheme()) || serverUri.getHost() == null) {
            throw r.error("mqtt.serverUri", uriText, "a URI like tcp://host:1883 or ssl://host:8883 expected");
        }
        String clientId = r.text("mqtt.clientId", node.path("clientId"), null);
        if (clientId == null) {
            throw r.missing("mqtt.clientId", "a client id that stays the same across restarts (the broker keeps "
                    + "the session under it)");
        }
        if (clientId.length() > 65_535) {
            throw r.error("mqtt.clientId", "(too long)", "at most 65535 characters");
        }
        String username = r.text("mqtt.username", node.path("username"), null);
        if (username != null) {
            username = variables.resolve(r.file() + ": mqtt.username", username);
        }
        String passwordText = r.text("mqtt.password", node.path("password"), null);
        Secret password = passwordText == null ? null
                : variables.resolveSecret(r.file() + ": mqtt.password", passwordText);
        if (password != null && username == null) {
            throw r.missing("mqtt.username", "mqtt.password is set; a password needs a username");
        }
        JsonNode reconnect = node.path("reconnect");
        r.onlyKeys("mqtt.reconnect", reconnect, Set.of("initialDelay", "maxDelay"));
        Duration initial = r.duration("mqtt.reconnect.initialDelay", reconnect.path("initialDelay"), Duration.ofSeconds(1));
        Duration max = r.duration("mqtt.reconnect.maxDelay", reconnect.path("maxDelay"), Duration.ofSeconds(60));
        if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
            throw r.error("mqtt.reconnect", initial + ".." + max,
                    "initialDelay must be above 0 and maxDelay at least initialDelay");
        }
        Duration keepAlive = r.duration("mqtt.keepAlive", node.path("keepAlive"), Duration.ofSeconds(30));
        Duration connectTimeout = r.duration("mqtt.connectTimeout", node.path("connectTimeout"), Duration.ofSeconds(10));
        if (keepAlive.toSeconds() < 1 || keepAlive.toSeconds() > 65_535) {
            throw r.error("mqtt.keepAlive", node.path("keepAlive").asText(), "allowed are 1s to 65535s");
        }
        if (connectTimeout.toSeconds() < 1) {
            throw r.error("mqtt.connectTimeout", node.path("connectTimeout").asText(), "at least 1s");
        }
        return new Mqtt(serverUri, clientId, username, password,
                r.bool("mqtt.cleanSession", node.path("cleanSession"), false), keepAlive, connectTimeout, initial, max);
    }

    private static List<Subscription> subscriptions(ConfigReader r, JsonNode node) {
        if (node.isMissingNode() || node.isNull() || !node.isArray() || node.isEmpty()) {
            throw r.missing("subscriptions", "a list of topic filters with their mapping, e.g. "
                    + "[{filter: devices/+/telemetry, deviceId: topic:1, metric: /metric, value: /value}]");
        }
        List<Subscription> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String where = "subscriptions[" + i + "]";
            JsonNode s = node.get(i);
            r.onlyKeys(where, s, SUBSCRIPTION);
            String filter = r.text(where + ".filter", s.path("filter"), null);
            if (filter == null) {
                throw r.missing(where + ".filter", "the MQTT topic filter, e.g. devices/+/telemetry");
            }
            try {
                Subscription.requireValidFilter(filter);
            } catch (IllegalArgumentException e) {
                throw r.error(where + ".filter", filter, e.getMessage());
            }
            Map<String, FieldSource> attributes = new LinkedHashMap<>();
            JsonNode attrs = s.path("attributes");
            if (!attrs.isMissingNode() && !attrs.isNull()) {
                if (!attrs.isObject()) {
                    throw new ConfigException(r.file() + ": " + where + ".attributes: a mapping of name to source expected");
                }
                attrs.properties().forEach(e -> attributes.put(e.getKey(),
                        source(r, where + ".attributes." + e.getKey(), e.getValue(), true)));
            }
            out.add(new Subscription(filter,
                    source(r, where + ".deviceId", s.path("deviceId"), true),
                    source(r, where + ".metric", s.path("metric"), true),
                    source(r, where + ".value", s.path("value"), true),
                    source(r, where + ".eventTime", s.path("eventTime"), false),
                    source(r, where + ".eventId", s.path("eventId"), false),
                    attributes));
        }
        return List.copyOf(out);
    }

    private static FieldSource source(ConfigReader r, String where, JsonNode node, boolean required) {
        String text = r.text(where, node, null);
        if (text == null) {
            if (required) {
                throw r.missing(where, "a JSON pointer (/value), a topic level (topic:1) or a constant (const:temperature)");
            }
            return null;
        }
        try {
            return FieldSource.parse(text);
        } catch (IllegalArgumentException e) {
            throw r.error(where, text, e.getMessage());
        }
    }

    private static String topicName(ConfigReader r, String where, String name) {
        try {
            TopicNames.requireValidName(where, name);
            return name;
        } catch (RuntimeException e) {
            throw r.error(where, name, "not a valid Kafka topic name");
        }
    }
}
