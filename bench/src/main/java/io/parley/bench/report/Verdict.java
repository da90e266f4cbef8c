package io.parley.bench.report;

/** How a measured value compares with its target. */
public enum Verdict {
    /** The value meets the target. */
    MET,
    /** The value misses the target. */
    MISSED,
    /** The value was measured; there is no target for it. */
    NO_TARGET,
    /** The value could not be measured in this run (scenario skipped or failed). */
    NOT_MEASURED
}
