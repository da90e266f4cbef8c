package io.parley.bench.report;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A line that relates two scenarios, such as how many times more turns per second the
 * asynchronous pipeline serves than the synchronous baseline.
 *
 * @param label what is compared, for example "S3 / S4 turns/s"
 * @param numerator where the numerator comes from, "scenario.key"
 * @param denominator where the denominator comes from, "scenario.key"
 * @param ratio numerator divided by denominator; empty when either side was not measured
 * @param target the ratio to reach, if any
 */
public record Comparison(String label, String numerator, String denominator, OptionalDouble ratio,
                         Optional<Target> target) {

    public Comparison {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(ratio, "ratio");
        Objects.requireNonNull(target, "target");
    }

    /** The ratio of two measurements, when both were measured and the denominator is not zero. */
    public static Comparison ratioOf(String label, String numeratorRef, Optional<Measurement> numerator,
                                     String denominatorRef, Optional<Measurement> denominator, Target target) {
        OptionalDouble top = numerator.map(Measurement::value).orElse(OptionalDouble.empty());
        OptionalDouble bottom = denominator.map(Measurement::value).orElse(OptionalDouble.empty());
        OptionalDouble ratio = top.isPresent() && bottom.isPresent() && bottom.getAsDouble() > 0
                ? OptionalDouble.of(top.getAsDouble() / bottom.getAsDouble())
                : OptionalDouble.empty();
        return new Comparison(label, numeratorRef, denominatorRef, ratio, Optional.of(target));
    }

    public Verdict verdict() {
        if (ratio.isEmpty()) {
            return Verdict.NOT_MEASURED;
        }
        return target.map(t -> t.isMetBy(ratio.getAsDouble()) ? Verdict.MET : Verdict.MISSED).orElse(Verdict.NO_TARGET);
    }
}
