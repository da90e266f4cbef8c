package io.parley.bridge;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Where one field of a {@code TelemetryEvent} comes from: a JSON pointer into the payload
 * ({@code /temp}), a level of the MQTT topic ({@code topic:1} is {@code freezer-1} in
 * {@code devices/freezer-1/telemetry}) or a constant ({@code const:temperature}).
 */
sealed interface FieldSource {

    /** The value as text (numbers and booleans as JSON writes them), or null when the payload or topic has none. */
    JsonNode read(List<String> topicLevels, JsonNode payload);

    /** How the configuration wrote it, for reasons and messages. */
    String describe();

    /**
     * Parses a source as written in bridge.yaml.
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    static FieldSource parse(String text) {
        if (text.startsWith("/")) {
            try {
                return new Pointer(JsonPointer.compile(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a JSON pointer (" + e.getMessage() + ")");
            }
        }
        if (text.startsWith("topic:")) {
            try {
                int level = Integer.parseInt(text.substring("topic:".length()));
                if (level < 0 || level > 64) {
                    throw new NumberFormatException();
                }
                return new TopicLevel(level);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("topic: needs a level number from 0 to 64, e.g. topic:1");
            }
        }
        if (text.startsWith("const:") && text.length() > "const:".length()) {
            return new Constant(text.substring("const:".length()));
        }
        throw new IllegalArgumentException("write a JSON pointer (/value), a topic level (topic:1) or a constant"
                + " (const:temperature)");
    }

    /** A value inside the JSON payload. */
    record Pointer(JsonPointer pointer) implements FieldSource {
        @Override
        public JsonNode read(List<String> topicLevels, JsonNode payload) {
            JsonNode node = payload.at(pointer);
            return node.isMissingNode() || node.isNull() ? null : node;
        }

        @Override
        public String describe() {
            return pointer.toString();
        }
    }

    /** A level of the MQTT topic the message came on, counted from 0. */
    record TopicLevel(int level) implements FieldSource {
        @Override
        public JsonNode read(List<String> topicLevels, JsonNode payload) {
            if (level >= topicLevels.size() || topicLevels.get(level).isEmpty()) {
                return null;
            }
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(topicLevels.get(level));
        }

        @Override
        public String describe() {
            return "topic:" + level;
        }
    }

    /** The same value for every message. */
    record Constant(String value) implements FieldSource {
        @Override
        public JsonNode read(List<String> topicLevels, JsonNode payload) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
        }

        @Override
        public String describe() {
            return "const:" + value;
        }
    }
}
