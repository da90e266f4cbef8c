package io.parley.processor.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.parley.runtime.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * A mapping read from a YAML file, with typed accessors whose errors name the file and the path of
 * the entry ({@code processor.yaml: conversation.deadline: ...}). Every key read is remembered, so
 * {@link #rejectUnknownKeys()} can refuse the ones nobody asked for (usually typos).
 */
public final class YamlSection {

    private static final YAMLMapper MAPPER = new YAMLMapper();

    private final String file;
    private final String path;
    private final JsonNode node;
    private final Set<String> known = new HashSet<>();

    private YamlSection(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /**
     * Parses a YAML document whose top level must be a mapping (an empty document is an empty mapping).
     *
     * @param file the name used in error messages
     */
    public static YamlSection parse(String file, InputStream yaml) {
        JsonNode root;
        try {
            root = MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new ConfigException(file + ": not valid YAML" + at + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new YamlSection(file, "", MAPPER.createObjectNode());
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": the document must be a mapping of keys to values");
        }
        return new YamlSection(file, "", root);
    }

    /** An empty section, for optional parts left out of a file. */
    public static YamlSection empty(String file, String path) {
        return new YamlSection(file, path, MAPPER.createObjectNode());
    }

    /** The file this section was read from, as used in messages. */
    public String file() {
        return file;
    }

    /** The path of this section within its file ({@code ""} at the top). */
    public String path() {
        return path;
    }

    /** {@code file: path.key} — where a key of this section is, for messages. */
    public String where(String key) {
        return file + ": " + qualified(key);
    }

    /** {@code file: path} — where this section is, for messages. */
    public String where() {
        return path.isEmpty() ? file : file + ": " + path;
    }

    /** An error about a key of this section. */
    public ConfigException error(String key, String message) {
        return new ConfigException(where(key) + ": " + message);
    }

    /** An error about this section as a whole. */
    public ConfigException error(String message) {
        return new ConfigException(where() + ": " + message);
    }

    /** This section under another path label, e.g. {@code intents[order-status]} instead of {@code intents[0]}. */
    public YamlSection relabel(String newPath) {
        YamlSection copy = new YamlSection(file, newPath, node);
        copy.known.addAll(known);
        return copy;
    }

    public boolean has(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    /** The keys present in this section, in file order. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    public Optional<String> optionalString(String key) {
        JsonNode value = value(key);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw error(key, "must be a single value, not " + describe(value));
        }
        return Optional.of(value.asText());
    }

    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    public String requiredString(String key) {
        String value = optionalString(key).orElseThrow(() -> error(key, "is required"));
        if (value.isBlank()) {
            throw error(key, "must not be blank");
        }
        return value;
    }

    public boolean bool(String key, boolean defaultValue) {
        JsonNode value = value(key);
        if (value.isMissingNode() || value.isNull()) {
            return defaultValue;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.asText().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw error(key, "'" + text + "' is not true or false");
    }

    public int integer(String key, int defaultValue, int min, int max) {
        JsonNode value = value(key);
        if (value.isMissingNode() || value.isNull()) {
            return defaultValue;
        }
        int parsed;
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            parsed = value.intValue();
        } else {
            try {
                parsed = Integer.parseInt(value.asText().trim());
            } catch (NumberFormatException e) {
                throw error(key, "'" + value.asText() + "' is not a whole number");
            }
        }
        if (parsed < min || parsed > max) {
            throw error(key, parsed + " is out of range; allowed are " + min + " to " + max);
        }
        return parsed;
    }

    /** A number with a fraction (a confidence, a ratio), within {@code min} to {@code max}. */
    public double decimal(String key, double defaultValue, double min, double max) {
        JsonNode value = value(key);
        if (value.isMissingNode() || value.isNull()) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText().trim());
        } catch (NumberFormatException e) {
            throw error(key, "'" + value.asText() + "' is not a number");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw error(key, parsed + " is out of range; allowed are " + min + " to " + max);
        }
        return parsed;
    }

    public Duration duration(String key, Duration defaultValue) {
        return optionalString(key).map(text -> Durations.parse(where(key), text)).orElse(defaultValue);
    }

    /** The YAML tree of an entry (missing when absent), for a section read by a shared reader such as {@code TracingSettings}. */
    public JsonNode raw(String key) {
        return value(key);
    }

    /** A nested mapping; empty when the key is absent. */
    public YamlSection section(String key) {
        JsonNode value = value(key);
        if (value.isMissingNode() || value.isNull()) {
            return empty(file, qualified(key));
        }
        if (!value.isObject()) {
            throw error(key, "must be a mapping of keys to values, not " + describe(value));
        }
        return new YamlSection(file, qualified(key), value);
    }

    /** A nested mapping of names to mappings (for example slots by name), in file order. */
    public Map<String, YamlSection> sectionMap(String key) {
        YamlSection outer = section(key);
        Map<String, YamlSection> sections = new LinkedHashMap<>();
        for (String name : outer.keys()) {
            sections.put(name, outer.section(name));
        }
        return sections;
    }

    /** A list of mappings; empty when the key is absent. Items are labelled {@code key[index]}. */
    public List<YamlSection> sectionList(String key) {
        JsonNode value = value(key);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw error(key, "must be a list, not " + describe(value));
        }
        List<YamlSection> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = qualified(key) + "[" + i + "]";
            if (!item.isObject()) {
                throw new ConfigException(file + ": " + itemPath + ": must be a mapping of keys to values, not " + describe(item));
            }
            items.add(new YamlSection(file, itemPath, item));
        }
        return items;
    }

    /** A list of single values; a single value counts as a list of one. Empty when the key is absent. */
    public List<String> stringList(String key) {
        JsonNode value = value(key);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (value.isValueNode()) {
            return List.of(value.asText());
        }
        if (!value.isArray()) {
            throw error(key, "must be a list of values, not " + describe(value));
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isValueNode() || item.isNull()) {
                throw error(key + "[" + i + "]", "must be a single value, not " + describe(item));
            }
            items.add(item.asText());
        }
        return items;
    }

    /** A mapping of names to single values, as strings, in file order; empty when the key is absent. */
    public Map<String, String> stringMap(String key) {
        YamlSection map = section(key);
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : map.keys()) {
            values.put(name, map.optionalString(name).orElseThrow(() -> map.error(name, "needs a value")));
        }
        return values;
    }

    /**
     * Refuses keys of this section that were never read.
     *
     * @throws ConfigException naming the file and the first unknown key, with the known ones
     */
    public void rejectUnknownKeys() {
        for (String key : keys()) {
            if (!known.contains(key)) {
                List<String> allowed = new ArrayList<>(known);
                allowed.sort(null);
                throw error(key, "unknown key; known keys here are " + allowed);
            }
        }
    }

    private JsonNode value(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null ? MissingNode.getInstance() : value;
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(JsonNode value) {
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        return "'" + value.asText() + "'";
    }
}
