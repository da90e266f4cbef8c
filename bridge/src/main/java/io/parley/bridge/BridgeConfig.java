package io.parley.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import io.parley.runtime.config.KafkaSettings;
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

    /** The keys of bridge.yaml, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys TOP = ConfigKeys.section("", "bridge.yaml: the MQTT bridge")
            .key("mqtt", "section", "", "the MQTT broker and session (required)")
            .key("subscriptions", "list", "", "topic filters and how their payloads map to telemetry (required)")
            .key("kafka", "Kafka client properties", "", "passed to the producer; bootstrap.servers is required")
            .key("schemaRegistry", "serde properties", "", "schema.registry.url is required")
            .key("topics", "topic names", "defaults", "overrides of topic names by logical name")
            .key("deadLetterTopic", "topic name", DEFAULT_DEAD_LETTER_TOPIC, "where unmappable messages go, with the reason")
            .key("commands", "section", "off", "device commands from Kafka to MQTT")
            .key("admin", "section", "", "where /metrics and /health/* are served");
    public static final ConfigKeys MQTT = ConfigKeys.section("mqtt", "The MQTT broker and session")
            .key("serverUri", "tcp:// or ssl:// URI", "", "the broker (required)")
            .key("clientId", "text", "", "the client id, the same across restarts (required)")
            .key("username", "text", "none", "user name")
            .key("password", "secret", "none", "password; needs a username")
            .key("cleanSession", "boolean", "false", "false keeps the session (and what was published meanwhile) across restarts")
            .key("keepAlive", "duration 1s-65535s", "30s", "MQTT keep-alive interval")
            .key("connectTimeout", "duration", "10s", "how long one connection attempt may take")
            .key("reconnect", "section", "", "initialDelay (1s), doubled after each failure up to maxDelay (60s)");
    public static final ConfigKeys RECONNECT = ConfigKeys.section("mqtt.reconnect", "Waits between connection attempts")
            .key("initialDelay", "duration", "1s", "the first wait; doubled after each failure")
            .key("maxDelay", "duration", "60s", "the longest wait");
    public static final ConfigKeys SUBSCRIPTION = ConfigKeys.section("subscriptions[]", "A topic filter and its mapping; "
                    + "a source is a JSON pointer (/value), a topic level (topic:1) or a constant (const:temperature)")
            .key("filter", "MQTT topic filter", "", "e.g. devices/+/telemetry (required)")
            .key("deviceId", "source", "", "the device id (required)")
            .key("metric", "source", "", "the metric name (required)")
            .key("value", "source", "", "the numeric value (required)")
            .key("eventTime", "source", "arrival time", "when the value was measured")
            .key("eventId", "source", "none", "an id for deduplication")
            .key("attributes", "mapping of name to source", "none", "extra attributes");
    public static final ConfigKeys COMMANDS = ConfigKeys.section("commands", "Device commands from Kafka to MQTT (QoS 1)")
            .key("topic", "topic name", "", "the Kafka topic of commands, key: device id (required)")
            .key("mqttTopic", "MQTT topic with {deviceId}", DEFAULT_COMMAND_TEMPLATE, "where a device's commands are published")
            .key("groupId", "text", "parley-bridge-commands", "the consumer group");
    public static final ConfigKeys ADMIN = ConfigKeys.section("admin", "The admin endpoint (/metrics, /health/*)")
            .key("host", "host", "127.0.0.1", "address to listen on")
            .key("port", "integer 0-65535", String.valueOf(Admin.DEFAULT_PORT), "port; 0 picks a free one");

    /** Every declared section of the file, in the order the reference lists them. */
    public static final List<ConfigKeys> SECTIONS = List.of(TOP, MQTT, RECONNECT, SUBSCRIPTION, COMMANDS, ADMIN);

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
        ConfigSection root = ConfigSection.parse(file, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        root.allowOnly(TOP);
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            Mqtt mqtt = mqtt(root, variables);
            List<Subscription> subscriptions = subscriptions(root);

            KafkaSettings kafka = KafkaSettings.read(root, "kafka", variables).requireBootstrapServers(root, "kafka");
            Map<String, Object> serde = resolved(root, "schemaRegistry", variables);
            if (!serde.containsKey("schema.registry.url")) {
                throw missing(root, "schemaRegistry.schema.registry.url", "the Schema Registry of the Avro values");
            }
            Map<String, String> topicOverrides = new LinkedHashMap<>();
            resolved(root, "topics", variables).forEach((k, v) -> topicOverrides.put(k, v.toString()));
            TopicNames topics;
            try {
                topics = TopicNames.fromMap(topicOverrides);
            } catch (RuntimeException e) {
                throw root.error("topics", e.getMessage());
            }
            String deadLetterTopic = topicName(root, "deadLetterTopic",
                    root.nonBlankString("deadLetterTopic").orElse(DEFAULT_DEAD_LETTER_TOPIC));

            Commands commands = null;
            if (root.has("commands")) {
                ConfigSection cmd = root.section("commands").allowOnly(COMMANDS);
                String topic = cmd.nonBlankString("topic")
                        .orElseThrow(() -> missing(cmd, "topic", "the Kafka topic of device commands (key: device id)"));
                topicName(cmd, "topic", topic);
                String template = cmd.nonBlankString("mqttTopic").orElse(DEFAULT_COMMAND_TEMPLATE);
                if (!template.contains("{deviceId}") || template.contains("+") || template.contains("#")) {
                    throw notAccepted(cmd, "mqttTopic", template,
                            "an MQTT topic with {deviceId} and no wildcards expected, e.g. " + DEFAULT_COMMAND_TEMPLATE);
                }
                commands = new Commands(topic, template, cmd.nonBlankString("groupId").orElse("parley-bridge-commands"));
            }

            ConfigSection adminSection = root.section("admin").allowOnly(ADMIN);
            Admin admin = new Admin(adminSection.nonBlankString("host").orElse("127.0.0.1"),
                    adminSection.intValue("port", Admin.DEFAULT_PORT, 0, 65535));
            return new BridgeConfig(mqtt, subscriptions, kafka.clientProperties(), serde, topics, deadLetterTopic, commands,
                    admin);
        }
    }

    private static Mqtt mqtt(ConfigSection root, ConfigVariables variables) {
        if (!root.has("mqtt")) {
            throw missing(root, "mqtt", "the MQTT broker (mqtt.serverUri, mqtt.clientId)");
        }
        ConfigSection node = root.section("mqtt").allowOnly(MQTT);
        String uriText = node.nonBlankString("serverUri")
                .orElseThrow(() -> missing(node, "serverUri", "the MQTT broker, e.g. tcp://mosquitto:1883"));
        URI serverUri;
        try {
            serverUri = URI.create(variables.resolve(node.where("serverUri"), uriText));
        } catch (IllegalArgumentException e) {
            throw notAccepted(node, "serverUri", uriText, "a URI like tcp://host:1883 or ssl://host:8883 expected");
        }
        if (!Set.of("tcp", "ssl").contains(serverUri.getScheme()) || serverUri.getHost() == null) {
            throw notAccepted(node, "serverUri", uriText, "a URI like tcp://host:1883 or ssl://host:8883 expected");
        }
        String clientId = node.nonBlankString("clientId")
                .orElseThrow(() -> missing(node, "clientId", "a client id that stays the same across restarts (the broker "
                        + "keeps the session under it)"));
        if (clientId.length() > 65_535) {
            throw notAccepted(node, "clientId", "(too long)", "at most 65535 characters");
        }
        String username = node.nonBlankString("username").map(u -> variables.resolve(node.where("username"), u)).orElse(null);
        Secret password = node.nonBlankString("password")
                .map(p -> variables.resolveSecret(node.where("password"), p)).orElse(null);
        if (password != null && username == null) {
            throw missing(node, "username", "mqtt.password is set; a password needs a username");
        }
        ConfigSection reconnect = node.section("reconnect").allowOnly(RECONNECT);
        Duration initial = reconnect.duration("initialDelay", Duration.ofSeconds(1));
        Duration max = reconnect.duration("maxDelay", Duration.ofSeconds(60));
        if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
            throw notAccepted(node, "reconnect", initial + ".." + max,
                    "initialDelay must be above 0 and maxDelay at least initialDelay");
        }
        Duration keepAlive = node.duration("keepAlive", Duration.ofSeconds(30));
        Duration connectTimeout = node.duration("connectTimeout", Duration.ofSeconds(10));
        if (keepAlive.toSeconds() < 1 || keepAlive.toSeconds() > 65_535) {
            throw notAccepted(node, "keepAlive", node.string("keepAlive", ""), "allowed are 1s to 65535s");
        }
        if (connectTimeout.toSeconds() < 1) {
            throw notAccepted(node, "connectTimeout", node.string("connectTimeout", ""), "at least 1s");
        }
        return new Mqtt(serverUri, clientId, username, password, node.bool("cleanSession", false), keepAlive,
                connectTimeout, initial, max);
    }

    private static List<Subscription> subscriptions(ConfigSection root) {
        JsonNode list = root.raw("subscriptions");
        if (!list.isArray() || list.isEmpty()) {
            throw missing(root, "subscriptions", "a list of topic filters with their mapping, e.g. "
                    + "[{filter: devices/+/telemetry, deviceId: topic:1, metric: /metric, value: /value}]");
        }
        List<Subscription> out = new ArrayList<>();
        for (ConfigSection s : root.sectionList("subscriptions")) {
            s.allowOnly(SUBSCRIPTION);
            String filter = s.nonBlankString("filter")
                    .orElseThrow(() -> missing(s, "filter", "the MQTT topic filter, e.g. devices/+/telemetry"));
            try {
                Subscription.requireValidFilter(filter);
            } catch (IllegalArgumentException e) {
                throw notAccepted(s, "filter", filter, e.getMessage());
            }
            Map<String, FieldSource> attributes = new LinkedHashMap<>();
            ConfigSection attrs = s.section("attributes");
            for (String name : attrs.keys()) {
                attributes.put(name, source(attrs, name, true));
            }
            out.add(new Subscription(filter, source(s, "deviceId", true), source(s, "metric", true),
                    source(s, "value", true), source(s, "eventTime", false), source(s, "eventId", false), attributes));
        }
        return List.copyOf(out);
    }

    private static FieldSource source(ConfigSection section, String key, boolean required) {
        String text = section.nonBlankString(key).orElse(null);
        if (text == null) {
            if (required) {
                throw missing(section, key, "a JSON pointer (/value), a topic level (topic:1) or a constant (const:temperature)");
            }
            return null;
        }
        try {
            return FieldSource.parse(text);
        } catch (IllegalArgumentException e) {
            throw notAccepted(section, key, text, e.getMessage());
        }
    }

    private static String topicName(ConfigSection section, String key, String name) {
        try {
            TopicNames.requireValidName(key, name);
            return name;
        } catch (RuntimeException e) {
            throw notAccepted(section, key, name, "not a valid Kafka topic name");
        }
    }

    /** A mapping of properties with {@code ${...}} references resolved. */
    private static Map<String, Object> resolved(ConfigSection root, String key, ConfigVariables variables) {
        Map<String, Object> out = new LinkedHashMap<>();
        root.stringMap(key).forEach((name, value) -> out.put(name, variables.resolve(root.where(key) + "." + name, value)));
        return out;
    }

    private static ConfigException notAccepted(ConfigSection section, String key, Object value, String why) {
        return section.error(key, value + " is not accepted; " + why);
    }

    private static ConfigException missing(ConfigSection section, String key, String what) {
        return section.error(key, "missing; " + what);
    }
}
