package io.parley.processor.config;

import io.parley.processor.flow.FlowSource;
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

    public static final TelemetrySettings OFF = new TelemetrySettings(Optional.empty());

    static TelemetrySettings read(YamlSection section, Path baseDirectory) {
        Optional<String> rules = section.optionalString("rules");
        section.rejectUnknownKeys();
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
