package io.parley.processor.config;

import io.parley.processor.flow.FlowSource;
import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code telemetry:} section of processor.yaml: the trigger rules over {@code iot.telemetry}.
 *
 * <ul>
 *   <li>{@code rules}: the rules file (a path relative to processor.yaml, or {@code classpath:...}). Without it
 *       the processor does not read telemetry at all and its topology is unchanged.</li>
 * </ul>
 */
public record TelemetrySettings(Optional<FlowSource> rules) {

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("telemetry", "Trigger rules over iot.telemetry")
            .key("rules", "path", "none (telemetry not read)", "the rules file, relative to processor.yaml, or classpath:...");

    public static final TelemetrySettings OFF = new TelemetrySettings(Optional.empty());

    static TelemetrySettings read(ConfigSection section, Path baseDirectory) {
        Optional<String> rules = section.string("rules");
        section.allowOnly(KEYS);
        if (rules.isPresent() && rules.get().isBlank()) {
            throw section.error("rules", "must not be blank; leave the key out to turn the rules off");
        }
        return new TelemetrySettings(rules.map(spec -> FlowSource.parse(spec.strip(), baseDirectory)));
    }

    /** Rules from this file. */
    public static TelemetrySettings rules(FlowSource file) {
        return new TelemetrySettings(Optional.of(file));
    }
}
