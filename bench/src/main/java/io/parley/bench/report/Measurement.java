package io.parley.bench.report;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One line of the report: a measured figure with its unit and, when the issue sets one, its
 * target.
 *
 * @param key a stable identifier within its scenario, for tools reading the JSON
 * @param label what was measured, as a reader sees it
 * @param unit the unit of the value and of the target's threshold
 * @param value the measured value; empty when it could not be measured in this run
 * @param target the figure to meet, if any
 */
public record Measurement(String key, String label, String unit, OptionalDouble value, Optional<Target> target) {

    public Measurement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(target, "target");
        if (value.isPresent() && !Double.isFinite(value.getAsDouble())) {
            throw new IllegalArgumentException("Measurement " + key + " has a non-finite value " + value.getAsDouble());
        }
    }

    public static Measurement of(String key, String label, String unit, double value) {
        return new Measurement(key, label, unit, OptionalDouble.of(value), Optional.empty());
    }

    public static Measurement of(String key, String label, String unit, double value, Target target) {
        return new Measurement(key, label, unit, OptionalDouble.of(value), Optional.of(target));
    }

    /** A planned line that this run could not measure; its target is still shown. */
    public static Measurement notMeasured(String key, String label, String unit, Optional<Target> target) {
        return new Measurement(key, label, unit, OptionalDouble.empty(), target);
    }

    /** The same line with its value dropped, for scenarios that did not run. */
    public Measurement withoutValue() {
        return new Measurement(key, label, unit, OptionalDouble.empty(), target);
    }

    public Verdict verdict() {
        if (value.isEmpty()) {
            return Verdict.NOT_MEASURED;
        }
        return target.map(t -> t.isMetBy(value.getAsDouble()) ? Verdict.MET : Verdict.MISSED)
                .orElse(Verdict.NO_TARGET);
    }
}
