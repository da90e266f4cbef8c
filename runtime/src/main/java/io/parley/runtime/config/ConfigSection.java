package io.parley.runtime.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Durations;
import io.parley.runtime.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one configuration reader of Parley: a mapping of a YAML file (processor.yaml, worker.yaml,
 * gateway.yaml, bridge.yaml, analytics.yaml, flow files, connector files) read through typed
 * accessors whose errors name the file and the path of the entry:
 * {@code processor.yaml: conversation.deadline: 'soon' is not a duration ...}.
 *
 * <p>Unknown keys (usually typos) are refused in one of two ways: {@link #rejectUnknownKeys()}
 * refuses the keys nobody read, {@link #allowOnly(String...)} / {@link #allowOnly(ConfigKeys)}
 * refuses the keys not declared. A {@link ConfigKeys} declaration also feeds the generated
 * configuration reference (docs/reference/configuration.md), so the check and the documentation
 * use the same list.
 */
public final class ConfigSection {

    private static final YAMLMapper MAPPER = new YAMLMapper();

    private final String file;
    private final String path;
    private final JsonNode node;
    private final Set<String> known = new HashSet<>();

    private ConfigSection(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /**
     * Parses a YAML document whose top level must be a mapping (an empty document is an empty mapping).
     *
     * @param file the name used in error messages
     * @throws ConfigException {@code file: not valid YAML (line n): ...} or {@code file: the document must be a mapping ...}
     */
    public static ConfigSection parse(String file, InputStream yaml) {
        JsonNode root = readTree(file, yaml);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ConfigSection(file, "", MAPPER.createObjectNode());
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": the document must be a mapping of keys to values");
        }
        return new ConfigSection(file, "", root);
    }

    /**
     * Parses YAML to a tree, for readers that look at the tree before reading it as a section
     * (connector files); errors name the file.
     */
    public static JsonNode readTree(String file, InputStream yaml) {
        try {
            return MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new ConfigException(file + ": not valid YAML" + at + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * The root mapping of a file already parsed; unlike {@link #parse}, an empty file is an error
     * (a connector file must say something).
     */
    public static ConfigSection root(String file, JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new ConfigException(file + ": the file is empty");
        }
        if (!node.isObject()) {
            throw new ConfigException(file + ": the file must hold a YAML mapping (key: value entries) at the top");
        }
        return new ConfigSection(file, "", node);
    }

    /** A section over a tree read elsewhere (missing or null is an empty mapping), at {@code path} of {@code file}. */
    public static ConfigSection of(String file, String path, JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return empty(file, path);
        }
        if (!node.isObject()) {
            throw new ConfigException((path.isEmpty() ? file : file + ": " + path) + ": must be a mapping of keys to values");
        }
        return new ConfigSection(file, path, node);
    }

    /** An empty section, for optional parts left out of a file. */
    public static ConfigSection empty(String file, String path) {
        return new ConfigSection(file, path, MAPPER.createObjectNode());
    }

    /** The file this section was read from, as used in messages. */
    public String file() {
        return file;
    }

    /** The path of this section within its file ({@code ""} at the top). */
    public String path() {
        return path;
    }

    /** {@code file: path.key}: where a key of this section is, for messages. */
    public String where(String key) {
        return file + ": " + qualified(key);
    }

    /** {@code file: path}: where this section is, for messages. */
    public String where() {
        return path.isEmpty() ? file : file + ": " + path;
    }

    /** An error about a key of this section: {@code file: path.key: message}. */
    public ConfigException error(String key, String message) {
        return new ConfigException(where(key) + ": " + message);
    }

    /** An error about this section as a whole: {@code file: path: message}. */
    public ConfigException error(String message) {
        return new ConfigException(where() + ": " + message);
    }

    /** This section under another path label, e.g. {@code intents[order-status]} instead of {@code intents[0]}. */
    public ConfigSection relabel(String newPath) {
        ConfigSection copy = new ConfigSection(file, newPath, node);
        copy.known.addAll(known);
        return copy;
    }

    /** Whether the key is present with a non-null value (the key counts as read). */
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

    // ---- single values ----

    /** A single value as text; empty when absent or null. */
    public Optional<String> string(String key) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw error(key, "must be a single value, not " + describe(value));
        }
        return Optional.of(value.asText());
    }

    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /** A single value that, when present, must not be blank. */
    public Optional<String> nonBlankString(String key) {
        Optional<String> value = string(key);
        if (value.isPresent() && value.get().isBlank()) {
            throw error(key, "must not be blank");
        }
        return value;
    }

    /** A value that must be there and not blank. */
    public String requiredString(String key) {
        String value = string(key).orElseThrow(() -> error(key, "is required"));
        if (value.isBlank()) {
            throw error(key, "must not be blank");
        }
        return value;
    }

    /**
     * A secret: the value, or a {@code ${env:NAME}}, {@code ${file:/path.properties:key}} or
     * {@code ${directory:/dir:file}} reference resolved through the config providers. Errors name
     * the entry and never show the secret.
     */
    public Optional<Secret> secret(String key, ConfigVariables variables) {
        return nonBlankString(key).map(value -> variables.resolveSecret(where(key), value));
    }

    /** A value with {@code ${...}} references resolved through the config providers. */
    public Optional<String> resolvedString(String key, ConfigVariables variables) {
        return string(key).map(value -> variables.resolve(where(key), value));
    }

    /** {@code true} or {@code false} (case-insensitive, quoted or not). */
    public boolean bool(String key, boolean defaultValue) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return defaultValue;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.asText().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw error(key, quoted(value) + " is not true or false");
    }

    /** A whole number within {@code min} to {@code max}. */
    public long longValue(String key, long defaultValue, long min, long max) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return defaultValue;
        }
        long number;
        if (value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToLong()) {
            number = value.asLong();
        } else if (value.isTextual() && value.asText().trim().matches("-?\\d{1,18}")) {
            number = Long.parseLong(value.asText().trim());
        } else {
            throw error(key, quoted(value) + " is not a whole number");
        }
        if (number < min || number > max) {
            throw error(key, number + " is out of range; allowed are " + min + " to " + max);
        }
        return number;
    }

    /** A whole number within {@code min} to {@code max}. */
    public int intValue(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    /** A number with a fraction (a confidence, a ratio), within {@code min} to {@code max}. */
    public double doubleValue(String key, double defaultValue, double min, double max) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return defaultValue;
        }
        if (!value.isValueNode()) {
            throw error(key, "must be a number, not " + describe(value));
        }
        double number;
        try {
            number = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText().trim());
        } catch (NumberFormatException e) {
            throw error(key, quoted(value) + " is not a number");
        }
        if (!(number >= min && number <= max)) {
            throw error(key, number + " is out of range; allowed are " + min + " to " + max);
        }
        return number;
    }

    /** A duration such as {@code 30s}, {@code 500ms}, {@code 2h} (see {@link Durations}). */
    public Optional<Duration> duration(String key) {
        return string(key).map(text -> Durations.parse(where(key), text));
    }

    public Duration duration(String key, Duration defaultValue) {
        return duration(key).orElse(defaultValue);
    }

    /** A duration more than zero. */
    public Duration positiveDuration(String key, Duration defaultValue) {
        Duration value = duration(key, defaultValue);
        if (value.isZero() || value.isNegative()) {
            throw error(key, "must be more than zero");
        }
        return value;
    }

    /** A size in bytes written as a whole number or with a unit ({@code 64KiB}, {@code 1MB}, {@code 512k}). */
    public long bytes(String key, long defaultValue, long min, long max) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return defaultValue;
        }
        if (!value.isValueNode()) {
            throw error(key, "must be a size in bytes, not " + describe(value));
        }
        long parsed = ByteSizes.parse(where(key), value.asText());
        if (parsed < min || parsed > max) {
            throw error(key, parsed + " bytes is out of range; allowed are " + min + " to " + max + " bytes");
        }
        return parsed;
    }

    /** An enum constant named case-insensitively ({@code -} and {@code _} alike); the error lists the allowed names. */
    public <E extends Enum<E>> Optional<E> enumValue(String key, Class<E> type) {
        return string(key).map(text -> {
            String wanted = text.trim().replace('-', '_');
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw error(key, "'" + text + "' is not one of " + names);
        });
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        return enumValue(key, type).orElse(defaultValue);
    }

    // ---- lists and mappings ----

    /** A nested mapping; an empty one when the key is absent. */
    public ConfigSection section(String key) {
        return object(key).orElseGet(() -> empty(file, qualified(key)));
    }

    /** A nested mapping, when present. */
    public Optional<ConfigSection> object(String key) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw error(key, "must be a mapping of keys to values, not " + describe(value));
        }
        return Optional.of(new ConfigSection(file, qualified(key), value));
    }

    /** A nested mapping that must be there. */
    public ConfigSection requiredObject(String key) {
        return object(key).orElseThrow(() -> error(key, "is required"));
    }

    /** A nested mapping of names to mappings (slots by name), each labelled {@code key.name}, in file order. */
    public Map<String, ConfigSection> sectionMap(String key) {
        ConfigSection outer = section(key);
        Map<String, ConfigSection> sections = new LinkedHashMap<>();
        for (String name : outer.keys()) {
            sections.put(name, outer.section(name));
        }
        return sections;
    }

    /** A nested mapping of names to mappings (operations by name), each labelled {@code key[name]}, in file order. */
    public Map<String, ConfigSection> namedObjects(String key) {
        Map<String, ConfigSection> result = new LinkedHashMap<>();
        object(key).ifPresent(outer -> outer.node.properties().forEach(entry -> {
            String label = qualified(key) + "[" + entry.getKey() + "]";
            if (!entry.getValue().isObject()) {
                throw new ConfigException(file + ": " + label + ": must be a mapping of keys to values, not "
                        + describe(entry.getValue()));
            }
            result.put(entry.getKey(), new ConfigSection(file, label, entry.getValue()));
        }));
        return result;
    }

    /** A list of mappings; empty when the key is absent. Items are labelled {@code key[index]}. */
    public List<ConfigSection> sectionList(String key) {
        return objectList(key, item -> null);
    }

    /**
     * A list of mappings, each labelled {@code key[<label>]} where the label comes from the item
     * (its {@code name}, typically) or is its index when the item has none.
     */
    public List<ConfigSection> objectList(String key, Function<JsonNode, String> labeler) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw error(key, "must be a list, not " + describe(value));
        }
        List<ConfigSection> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String label = item.isObject() ? labeler.apply(item) : null;
            String itemPath = qualified(key) + "[" + (label == null || label.isBlank() ? String.valueOf(i) : label) + "]";
            if (!item.isObject()) {
                throw new ConfigException(file + ": " + itemPath + ": must be a mapping of keys to values, not " + describe(item));
            }
            items.add(new ConfigSection(file, itemPath, item));
        }
        return items;
    }

    /** A list of single values; a single value counts as a list of one. Empty when the key is absent. */
    public List<String> stringList(String key) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
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

    /** A mapping of names to single values, as strings (numbers and booleans as YAML wrote them), in file order. */
    public Map<String, String> stringMap(String key) {
        Map<String, String> values = new LinkedHashMap<>();
        object(key).ifPresent(map -> map.node.properties().forEach(entry -> {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw map.error(entry.getKey(), "must be a single value, not " + describe(entry.getValue()));
            }
            values.put(entry.getKey(), entry.getValue().asText());
        }));
        return values;
    }

    /** The YAML tree of an entry (missing when absent or null): templates keep their structure. */
    public JsonNode raw(String key) {
        return value(key);
    }

    /** The YAML tree of this section. */
    public JsonNode tree() {
        return node;
    }

    // ---- unknown keys ----

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

    /** Fails on the first key that is not one of {@code allowed}, naming it and listing the allowed ones. */
    public ConfigSection allowOnly(String... allowed) {
        return allowOnly(new LinkedHashSet<>(List.of(allowed)));
    }

    /** Fails on the first key not declared in {@code keys}. */
    public ConfigSection allowOnly(ConfigKeys keys) {
        return allowOnly(keys.names());
    }

    /** Fails on the first key that is not one of {@code allowed}; the message lists them sorted. */
    public ConfigSection allowOnly(Set<String> allowed) {
        for (String key : keys()) {
            known.add(key);
            if (!allowed.contains(key)) {
                throw error(key, "unknown key; known keys here are " + new java.util.TreeSet<>(allowed));
            }
        }
        return this;
    }

    private JsonNode value(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? MissingNode.getInstance() : value;
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String quoted(JsonNode value) {
        return value.isValueNode() ? "'" + value.asText() + "'" : describe(value);
    }

    /** How a misplaced value is named in errors; scalars are not echoed (they may be secrets). */
    private static String describe(JsonNode value) {
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isNull()) {
            return "empty";
        }
        return "a single value";
    }
}
