package io.parley.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Durations;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;

/** Typed reads of bridge.yaml whose errors name the file and the entry ({@code bridge.yaml: mqtt.port: ...}). */
record ConfigReader(String file) {

    ConfigException error(String where, Object value, String why) {
        return new ConfigException(file + ": " + where + ": " + value + " is not accepted; " + why);
    }

    ConfigException missing(String where, String what) {
        return new ConfigException(file + ": " + where + ": missing; " + what);
    }

    void onlyKeys(String where, JsonNode node, Set<String> allowed) {
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new ConfigException(file + ": " + (where.isEmpty() ? "(top)" : where) + ": a mapping expected");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new ConfigException(file + ": " + (where.isEmpty() ? "" : where + ".") + key
                        + ": unknown key; known keys are " + new TreeSet<>(allowed));
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
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            throw error(where, node, "allowed are whole numbers from " + min + " to " + max);
        }
        return node.asInt();
    }

    boolean bool(String where, JsonNode node, boolean fallback) {
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw error(where, node, "true or false expected");
        }
        return node.asBoolean();
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
        node.properties().forEach(e -> out.put(e.getKey(),
                variables.resolve(file + ": " + where + "." + e.getKey(), e.getValue().asText())));
        return out;
    }
}
