package io.parley.topics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidTopicException;

/**
 * The names of Parley's topics. Every name is configuration; the defaults are those of the
 * architecture. Configuration keys are the record component names ({@code chatEvents}, ...).
 *
 * @param chatEvents chat events from channels, keyed by conversation id
 * @param backendRequests requests for connector workers, keyed by conversation id
 * @param backendResponses answers of connector workers, keyed by conversation id; co-partitioned with chatEvents
 * @param notifications proactive notification requests, keyed by user id
 * @param audit the redacted audit stream
 * @param deadLetters records the processor could not read or process
 * @param defaultReplies replies for channels without a route of their own
 * @param workerDeadLetters requests a connector worker could not read
 * @param iotTelemetry device measurements ({@code TelemetryEvent}), keyed by device id
 * @param iotDevices devices and their owners ({@code Device}), keyed by device id; compacted
 * @param connectorCatalog what each connector offers ({@code ConnectorCatalog}), keyed by connector name; compacted
 * @param flows published versions of flow sets ({@code FlowSet}), keyed by flow set name; compacted
 * @param iotMutes users' commands to mute a device's alerts ({@code MuteCommand}), keyed by device id; as many partitions
 *     as iotTelemetry
 */
public record TopicNames(String chatEvents, String backendRequests, String backendResponses, String notifications,
                         String audit, String deadLetters, String defaultReplies, String workerDeadLetters,
                         String iotTelemetry, String iotDevices, String connectorCatalog, String flows,
                         String iotMutes) {

    public static final String CHAT_EVENTS = "chatEvents";
    public static final String BACKEND_REQUESTS = "backendRequests";
    public static final String BACKEND_RESPONSES = "backendResponses";
    public static final String NOTIFICATIONS = "notifications";
    public static final String AUDIT = "audit";
    public static final String DEAD_LETTERS = "deadLetters";
    public static final String DEFAULT_REPLIES = "defaultReplies";
    public static final String WORKER_DEAD_LETTERS = "workerDeadLetters";
    public static final String IOT_TELEMETRY = "iotTelemetry";
    public static final String IOT_DEVICES = "iotDevices";
    public static final String CONNECTOR_CATALOG = "connectorCatalog";
    public static final String FLOWS = "flows";
    public static final String IOT_MUTES = "iotMutes";

    private static final TopicNames DEFAULTS = new TopicNames("chat.events", "backend.requests", "backend.responses",
            "notifications.requests", "chat.audit", "chat.dlq", "chat.replies", "backend.requests.dlq", "iot.telemetry", "iot.devices",
            "parley.connectors", "parley.flows", "iot.mutes");

    public TopicNames {
        requireValidName(CHAT_EVENTS, chatEvents);
        requireValidName(BACKEND_REQUESTS, backendRequests);
        requireValidName(BACKEND_RESPONSES, backendResponses);
        requireValidName(NOTIFICATIONS, notifications);
        requireValidName(AUDIT, audit);
        requireValidName(DEAD_LETTERS, deadLetters);
        requireValidName(DEFAULT_REPLIES, defaultReplies);
        requireValidName(WORKER_DEAD_LETTERS, workerDeadLetters);
        requireValidName(IOT_TELEMETRY, iotTelemetry);
        requireValidName(IOT_DEVICES, iotDevices);
        requireValidName(CONNECTOR_CATALOG, connectorCatalog);
        requireValidName(FLOWS, flows);
        requireValidName(IOT_MUTES, iotMutes);
    }

    /** The architecture's default names. */
    public static TopicNames defaults() {
        return DEFAULTS;
    }

    /**
     * The defaults overridden by the given entries.
     *
     * @throws ConfigException naming the key when a key is unknown or a name is not a valid topic name
     */
    public static TopicNames fromMap(Map<String, String> overrides) {
        Map<String, String> names = new LinkedHashMap<>(DEFAULTS.asMap());
        overrides.forEach((key, value) -> {
            if (!names.containsKey(key)) {
                throw new ConfigException("Unknown topic key '" + key + "'; known keys are " + names.keySet());
            }
            names.put(key, value);
        });
        return new TopicNames(names.get(CHAT_EVENTS), names.get(BACKEND_REQUESTS), names.get(BACKEND_RESPONSES),
                names.get(NOTIFICATIONS), names.get(AUDIT), names.get(DEAD_LETTERS), names.get(DEFAULT_REPLIES),
                names.get(WORKER_DEAD_LETTERS), names.get(IOT_TELEMETRY), names.get(IOT_DEVICES),
                names.get(CONNECTOR_CATALOG), names.get(FLOWS), names.get(IOT_MUTES));
    }

    /** The names by configuration key, in a stable order. */
    public Map<String, String> asMap() {
        Map<String, String> byKey = new LinkedHashMap<>();
        byKey.put(CHAT_EVENTS, chatEvents);
        byKey.put(BACKEND_REQUESTS, backendRequests);
        byKey.put(BACKEND_RESPONSES, backendResponses);
        byKey.put(NOTIFICATIONS, notifications);
        byKey.put(AUDIT, audit);
        byKey.put(DEAD_LETTERS, deadLetters);
        byKey.put(DEFAULT_REPLIES, defaultReplies);
        byKey.put(WORKER_DEAD_LETTERS, workerDeadLetters);
        byKey.put(IOT_TELEMETRY, iotTelemetry);
        byKey.put(IOT_DEVICES, iotDevices);
        byKey.put(CONNECTOR_CATALOG, connectorCatalog);
        byKey.put(FLOWS, flows);
        byKey.put(IOT_MUTES, iotMutes);
        return byKey;
    }

    /** Checks a topic name the way the broker will, naming the configuration key when it is wrong. */
    public static void requireValidName(String key, String name) {
        if (name == null) {
            throw new ConfigException("Topic '" + key + "' has no name");
        }
        try {
            org.apache.kafka.common.internals.Topic.validate(name);
        } catch (InvalidTopicException e) {
            throw new ConfigException(key, name, e.getMessage());
        }
    }
}
