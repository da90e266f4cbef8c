package io.parley.bench.load;

import io.parley.bench.report.PhaseSummary;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The figures of one load phase.
 *
 * @param summary what was sent and answered
 * @param throughputPerSecond expected replies per second after warm-up
 * @param latency latency percentiles of post-warm-up turns, from intended start to reply consumption
 * @param complete whether every turn completed before the stall timeout
 */
public record PhaseResult(PhaseSummary summary, OptionalDouble throughputPerSecond, Optional<LatencySummary> latency,
                          boolean complete) {
}
