package io.parley.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.parley.schemas.TelemetryEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an MQTT message into a {@code TelemetryEvent} by the configured subscriptions. Plain Java:
 * topic, payload and arrival time in, event out (or {@link UnmappableMessage} with the reason).
 */
public final class TelemetryMapping {

    /** The attribute naming the MQTT topic a measurement came on. */
    public static final String MQTT_TOPIC_ATTRIBUTE = "mqtt.topic";

    /** Payloads above this size are refused without parsing. */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    // Parse errors must not quote the payload: its content would reach the dead-letter reason.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final List<Subscription> subscriptions;

    public TelemetryMapping(List<Subscription> subscriptions) {
        this.subscriptions = List.copyOf(subscriptions);
    }

    public List<Subscription> subscriptions() {
        return subscriptions;
    }

    /**
     * The measurement a message on {@code topic} carries.
     *
     * @param arrival when the bridge received it; the event time when the payload has none
     * @throws UnmappableMessage naming the field and why, without the payload's content
     */
    public TelemetryEvent map(String topic, byte[] payload, Instant arrival) throws UnmappableMessage {
        Subscription subscription = subscriptions.stream().filter(s -> s.matches(topic)).findFirst()
                .orElseThrow(() -> new UnmappableMessage("no subscription's filter matches the topic"));
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new UnmappableMessage("payload of " + payload.length + " bytes is above the limit of " + MAX_PAYLOAD_BYTES);
        }
        JsonNode json = parse(payload);
        List<String> levels = List.of(topic.split("/", -1));

        String deviceId = text("deviceId", subscription.deviceId(), levels, json);
        String metric = text("metric", subscription.metric(), levels, json);
        double value = number(subscription.value(), levels, json);
        Instant eventTime = subscription.eventTime() == null ? arrival : time(subscription.eventTime(), levels, json);
        String eventId = subscription.eventId() == null ? derivedId(topic, payload)
                : text("eventId", subscription.eventId(), levels, json);

        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(MQTT_TOPIC_ATTRIBUTE, topic);
        subscription.attributes().forEach((name, source) -> {
            JsonNode node = source.read(levels, json);
            if (node != null && node.isValueNode()) {
                attributes.put(name, node.asText());
            }
        });
        return TelemetryEvent.newBuilder()
                .setEventId(eventId)
                .setDeviceId(deviceId)
                .setMetric(metric)
                .setValue(value)
                .setEventTime(eventTime)
                .setAttributes(attributes)
                .build();
    }

    private static JsonNode parse(byte[] payload) throws UnmappableMessage {
        try {
            JsonNode json = JSON.readTree(payload);
            if (json == null || json.isMissingNode()) {
                throw new UnmappableMessage("payload is empty; a JSON object expected");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new UnmappableMessage("payload is not JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UnmappableMessage("payload is not JSON");
        }
    }

    private static String text(String field, FieldSource source, List<String> levels, JsonNode json)
            throws UnmappableMessage {
        JsonNode node = source.read(levels, json);
        if (node == null) {
            throw new UnmappableMessage(field + " from " + source.describe() + ": missing");
        }
        if (!node.isValueNode() || node.asText().isBlank()) {
            throw new UnmappableMessage(field + " from " + source.describe() + ": not a text or number");
        }
        return node.asText();
    }

    private static double number(FieldSource source, List<String> levels, JsonNode json) throws UnmappableMessage {
        JsonNode node = source.read(levels, json);
        if (node == null) {
            throw new UnmappableMessage("value from " + source.describe() + ": missing");
        }
        double value;
        if (node.isNumber()) {
            value = node.asDouble();
        } else if (node.isBoolean()) {
            value = node.asBoolean() ? 1 : 0;
        } else if (node.isTextual()) {
            try {
                value = Double.parseDouble(node.asText().trim());
            } catch (NumberFormatException e) {
                throw new UnmappableMessage("value from " + source.describe() + ": not a number");
            }
        } else {
            throw new UnmappableMessage("value from " + source.describe() + ": not a number");
        }
        if (!Double.isFinite(value)) {
            throw new UnmappableMessage("value from " + source.describe() + ": not a finite number");
        }
        return value;
    }

    private static Instant time(FieldSource source, List<String> levels, JsonNode json) throws UnmappableMessage {
        JsonNode node = source.read(levels, json);
        if (node == null) {
            throw new UnmappableMessage("eventTime from " + source.describe() + ": missing");
        }
        try {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return Instant.ofEpochMilli(node.asLong());
            }
            if (node.isTextual()) {
                return Instant.parse(node.asText());
            }
        } catch (DateTimeException e) {
            // falls through to the reason below
        }
        throw new UnmappableMessage("eventTime from " + source.describe()
                + ": neither epoch milliseconds nor an ISO-8601 instant");
    }

    /**
     * An id that is the same when the broker delivers the same message again, so downstream
     * de-duplication works without an id in the payload. Two identical payloads on one topic are
     * one measurement; payloads without a time field should carry an id.
     */
    static String derivedId(String topic, byte[] payload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(topic.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(payload);
            return "mqtt-" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), 18));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
