package io.parley.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * How the load generator behaves in every phase.
 *
 * @param maxInFlight turns sent but not answered at most, in maximum-rate phases; large enough
 *     that the pipeline, not the bound, limits throughput (under exactly-once a reply is only
 *     visible after a commit, so at least rate × commit interval)
 * @param stallTimeout a phase gives up when no turn completes for this long
 * @param highestLatency latencies above this are recorded at this value (and counted)
 */
public record LoadSettings(int maxInFlight, Duration stallTimeout, Duration highestLatency) {

    public LoadSettings {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in-flight must be at least 1, not " + maxInFlight);
        }
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(highestLatency, "highestLatency");
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("The stall timeout must be positive, not " + stallTimeout);
        }
    }
}
