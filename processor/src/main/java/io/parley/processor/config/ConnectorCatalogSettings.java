package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import java.time.Duration;

/**
 * The {@code connectorCatalog:} section of processor.yaml: how the start checks the flows' templates
 * against the operations' response schemas that connectors workers publish to the catalog topic
 * ({@code topics.connectorCatalog}, default {@code parley.connectors}).
 *
 * <ul>
 *   <li>{@code require} (default false): whether a start without a catalog to check against stops.
 *       When no worker has published yet (the topic is missing or empty, or it could not be read to
 *       its end within {@code wait}), false warns once and checks what there is; true stops the
 *       start naming the topic. A template that reads a field a published schema lacks stops the
 *       start either way.</li>
 *   <li>{@code wait} ({@link #maxWait()}, default 10s, 100ms to 5m): how long the start may spend reading the topic to its end.</li>
 * </ul>
 */
public record ConnectorCatalogSettings(boolean require, Duration maxWait) {

    static final Duration MIN_WAIT = Duration.ofMillis(100);
    static final Duration MAX_WAIT = Duration.ofMinutes(5);

    public static final ConnectorCatalogSettings DEFAULTS = new ConnectorCatalogSettings(false, Duration.ofSeconds(10));

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("connectorCatalog",
                    "The start check of flow templates against the connector catalog the workers publish")
            .key("require", "boolean", "false", "whether a start without a catalog to check against stops")
            .key("wait", "duration", "10s", "how long the start may spend reading the catalog topic to its end (100ms to 5m)");

    public ConnectorCatalogSettings {
        if (maxWait.compareTo(MIN_WAIT) < 0 || maxWait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException(maxWait + " is out of range; allowed are 100ms to 5m");
        }
    }

    static ConnectorCatalogSettings read(ConfigSection section) {
        boolean require = section.bool("require", DEFAULTS.require());
        Duration wait = section.duration("wait", DEFAULTS.maxWait());
        section.allowOnly(KEYS);
        if (wait.compareTo(MIN_WAIT) < 0 || wait.compareTo(MAX_WAIT) > 0) {
            throw section.error("wait", wait + " is out of range; allowed are 100ms to 5m");
        }
        return new ConnectorCatalogSettings(require, wait);
    }

    public ConnectorCatalogSettings withRequire(boolean required) {
        return new ConnectorCatalogSettings(required, maxWait);
    }

    public ConnectorCatalogSettings withWait(Duration newWait) {
        return new ConnectorCatalogSettings(require, newWait);
    }
}
