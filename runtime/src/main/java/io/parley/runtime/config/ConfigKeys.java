package io.parley.runtime.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The keys a section of a configuration file declares, each with its type, default and a
 * one-line description. One declaration serves two readers: {@link ConfigSection#allowOnly(ConfigKeys)}
 * refuses keys not declared, and the configuration reference (docs/reference/configuration.md) is
 * generated from the same declarations, so the documentation cannot list a key the reader refuses
 * or miss one it accepts.
 *
 * <pre>
 * static final ConfigKeys KEYS = ConfigKeys.section("admin", "The admin HTTP endpoint.")
 *         .key("port", "integer 0-65535", "9464", "TCP port; 0 picks a free one")
 *         .key("bind", "host", "0.0.0.0", "address to listen on");
 * </pre>
 */
public final class ConfigKeys {

    /**
     * One key.
     *
     * @param name the key as written in the file
     * @param type what the value is, for people ({@code duration}, {@code integer 1-100}, {@code secret})
     * @param defaultValue the value when the key is left out ({@code ""} when the key is required or has no default)
     * @param description one line
     */
    public record Key(String name, String type, String defaultValue, String description) {
        public Key {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(defaultValue, "defaultValue");
            Objects.requireNonNull(description, "description");
        }
    }

    private final String path;
    private final String description;
    private final List<Key> keys = new ArrayList<>();

    private ConfigKeys(String path, String description) {
        this.path = path;
        this.description = description;
    }

    /**
     * Starts a declaration.
     *
     * @param path where the section is in its file ({@code ""} for the top, {@code admin}, {@code connectors[]})
     * @param description one line about the section
     */
    public static ConfigKeys section(String path, String description) {
        return new ConfigKeys(path, description);
    }

    /** Declares a key (in the order the reference lists them). */
    public ConfigKeys key(String name, String type, String defaultValue, String description) {
        if (names().contains(name)) {
            throw new IllegalArgumentException("key '" + name + "' declared twice in section '" + path + "'");
        }
        keys.add(new Key(name, type, defaultValue, description));
        return this;
    }

    /** A duration as the files write it ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}), for defaults. */
    public static String duration(java.time.Duration duration) {
        long millis = duration.toMillis();
        if (millis % 86_400_000 == 0 && millis > 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** The section's path in its file. */
    public String path() {
        return path;
    }

    /** The section's description. */
    public String description() {
        return description;
    }

    /** The keys, in declaration order. */
    public List<Key> keys() {
        return Collections.unmodifiableList(keys);
    }

    /** The key names, in declaration order. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        keys.forEach(key -> names.add(key.name()));
        return names;
    }
}
