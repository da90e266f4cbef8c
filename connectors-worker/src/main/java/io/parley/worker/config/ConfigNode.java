package io.parley.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.parley.runtime.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
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
 * One object of a YAML configuration file, read through typed accessors. Every error names the
 * file and the full path of the entry, e.g.
 * {@code connectors.yaml: connectors[shop-api].operations[getOrder].path: must start with '/'}.
 *
 * <p>Sections list the keys they know with {@link #allowOnly(String...)}, so a misspelt key is
 * an error instead of a silently ignored setting.
 */
public final class ConfigNode {

    private final String file;
    private final String path;
    private final JsonNode node;

    private ConfigNode(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** The root object of a file; {@code file} is how errors name it. */
    public static ConfigNode root(String file, JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new ConfigException(file + ": the file is empty");
        }
        if (!node.isObject()) {
            throw new ConfigException(file + ": the file must hold a YAML mapping (key: value entries) at the top");
        }
        return new ConfigNode(file, "", node);
    }

    /** The file this object was read from, as errors name it (a path, for files read from disk). */
    public String file() {
        return file;
    }

    /** How errors name this object: {@code file: path}. */
    public String where() {
        return path.isEmpty() ? file : file + ": " + path;
    }

    /** How errors name an entry of this object: {@code file: path.key}. */
    public String where(String key) {
        return file + ": " + (path.isEmpty() ? key : path + "." + key);
    }

    /** A configuration error about an entry of this object. */
    public ConfigException error(String key, String message) {
        return new ConfigException(where(key) + ": " + message);
    }

    /** Fails on the first key that is not one of {@code known}, naming it and listing the known ones. */
    public ConfigNode allowOnly(String... known) {
        Set<String> allowed = new LinkedHashSet<>(List.of(known));
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw error(name, "unknown key; known keys here are " + allowed);
            }
        }
        return this;
    }

    public boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private JsonNode value(String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? MissingNode.getInstance() : value;
    }

    public Optional<String> string(String key) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw error(key, "must be a single value, not a " + describe(value));
        }
        return Optional.of(value.asText());
    }

    public String requiredString(String key) {
        String value = string(key).orElseThrow(() -> error(key, "is required"));
        if (value.isBlank()) {
            throw error(key, "must not be blank");
        }
        return value;
    }

    public Optional<Duration> duration(String key) {
        return string(key).map(text -> Durations.parse(where(key), text));
    }

    public Duration duration(String key, Duration defaultValue) {
        return duration(key).orElse(defaultValue);
    }

    /** A positive duration (zero is refused). */
    public Duration positiveDuration(String key, Duration defaultValue) {
        Duration value = duration(key, defaultValue);
        if (value.isZero()) {
            throw error(key, "must be more than zero");
        }
        return value;
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return defaultValue;
        }
        long number;
        if (value.canConvertToExactIntegral() && value.isNumber()) {
            number = value.asLong();
        } else if (value.isTextual() && value.asText().trim().matches("-?\\d{1,18}")) {
            number = Long.parseLong(value.asText().trim());
        } else {
            throw error(key, "'" + value.asText() + "' is not a whole number");
        }
        if (number < min || number > max) {
            throw error(key, number + " is out of range; use a value from " + min + " to " + max);
        }
        return number;
    }

    public int intValue(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    public double doubleValue(String key, double defaultValue, double min, double max) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return defaultValue;
        }
        double number;
        if (value.isNumber()) {
            number = value.asDouble();
        } else {
            try {
                number = Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                throw error(key, "'" + value.asText() + "' is not a number");
            }
        }
        if (Double.isNaN(number) || number < min || number > max) {
            throw error(key, value.asText() + " is out of range; use a value from " + min + " to " + max);
        }
        return number;
    }

    public boolean bool(String key, boolean defaultValue) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return defaultValue;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        String text = value.asText().trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(key, "'" + value.asText() + "' is not true or false");
        };
    }

    /** An enum constant named case-insensitively; the error lists the allowed names. */
    public <E extends Enum<E>> Optional<E> enumValue(String key, Class<E> type) {
        return string(key).map(text -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text.trim())) {
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

    /** A nested mapping, when present. */
    public Optional<ConfigNode> object(String key) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw error(key, "must be a mapping (key: value entries), not a " + describe(value));
        }
        return Optional.of(new ConfigNode(file, childPath(key), value));
    }

    public ConfigNode requiredObject(String key) {
        return object(key).orElseThrow(() -> error(key, "is required"));
    }

    /**
     * The entries of a nested mapping, each as a {@link ConfigNode} labelled {@code key[name]}:
     * used for named sections such as {@code operations}.
     */
    public Map<String, ConfigNode> namedObjects(String key) {
        Map<String, ConfigNode> result = new LinkedHashMap<>();
        object(key).ifPresent(section -> section.node.properties().forEach(entry -> {
            String label = childPath(key) + "[" + entry.getKey() + "]";
            if (!entry.getValue().isObject()) {
                throw new ConfigException(file + ": " + label + ": must be a mapping (key: value entries), not a "
                        + describe(entry.getValue()));
            }
            result.put(entry.getKey(), new ConfigNode(file, label, entry.getValue()));
        }));
        return result;
    }

    /**
     * A list of mappings, each labelled {@code key[<label>]} where the label comes from the item
     * (its {@code name}, typically) or its index when the item has none.
     */
    public List<ConfigNode> objectList(String key, Function<JsonNode, String> labeler) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw error(key, "must be a list, not a " + describe(value));
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String label = labeler.apply(item);
            String itemPath = childPath(key) + "[" + (label == null || label.isBlank() ? String.valueOf(i) : label) + "]";
            if (!item.isObject()) {
                throw new ConfigException(file + ": " + itemPath + ": must be a mapping (key: value entries), not a "
                        + describe(item));
            }
            items.add(new ConfigNode(file, itemPath, item));
        }
        return items;
    }

    /** A mapping of scalar values, as strings (numbers and booleans are written as YAML wrote them). */
    public Map<String, String> stringMap(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        object(key).ifPresent(section -> section.node.properties().forEach(entry -> {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw section.error(entry.getKey(), "must be a single value, not a " + describe(entry.getValue()));
            }
            result.put(entry.getKey(), entry.getValue().asText());
        }));
        return result;
    }

    /** A list of strings; a single string counts as a list of one. */
    public List<String> stringList(String key) {
        JsonNode value = value(key);
        if (value.isMissingNode()) {
            return List.of();
        }
        if (value.isValueNode()) {
            return List.of(value.asText());
        }
        if (!value.isArray()) {
            throw error(key, "must be a list of values, not a " + describe(value));
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.isNull()) {
                throw error(key, "must be a list of single values");
            }
            result.add(item.asText());
        }
        return result;
    }

    /** This object's YAML tree, as written (what a definition's hash is computed from). */
    public JsonNode tree() {
        return node;
    }

    /** The raw YAML tree of an entry (templates keep their structure), or a missing node. */
    public JsonNode raw(String key) {
        return value(key);
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(JsonNode value) {
        if (value.isArray()) {
            return "list";
        }
        if (value.isObject()) {
            return "mapping";
        }
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
