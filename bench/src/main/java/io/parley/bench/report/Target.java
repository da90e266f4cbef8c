package io.parley.bench.report;

import java.util.Objects;

/**
 * A figure a measurement is judged against: "at least" for rates, "at most" for latencies and
 * memory. Targets come from the benchmark issue; the benchmark reports, it never fails a build.
 *
 * @param comparison whether the measured value must reach or stay under the threshold
 * @param threshold the figure, in the unit of the measurement it is attached to
 */
public record Target(Comparison comparison, double threshold) {

    /** How a measured value is compared with the threshold. */
    public enum Comparison {
        AT_LEAST("≥"),
        AT_MOST("≤");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public Target {
        Objects.requireNonNull(comparison, "comparison");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("A target needs a finite threshold, not " + threshold);
        }
    }

    public static Target atLeast(double threshold) {
        return new Target(Comparison.AT_LEAST, threshold);
    }

    public static Target atMost(double threshold) {
        return new Target(Comparison.AT_MOST, threshold);
    }

    /** Whether a measured value meets this target. */
    public boolean isMetBy(double measured) {
        return comparison == Comparison.AT_LEAST ? measured >= threshold : measured <= threshold;
    }
}
