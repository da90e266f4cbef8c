package io.parley.bench.pipeline;

/**
 * Cumulative runs of the deadline punctuator.
 *
 * @param runs how many times it ran
 * @param totalNanos time spent in those runs
 * @param maxNanos the longest run within the last minute at least (a decaying maximum is fine,
 *     as the scenario reads it right after the runs it measures)
 */
public record PunctuationStats(long runs, long totalNanos, long maxNanos) {

    /** The runs since an earlier reading; the maximum is this reading's. */
    public PunctuationStats since(PunctuationStats earlier) {
        return new PunctuationStats(runs - earlier.runs, totalNanos - earlier.totalNanos, maxNanos);
    }

    /** Mean nanoseconds per run; zero without runs. */
    public double meanNanos() {
        return runs == 0 ? 0 : (double) totalNanos / runs;
    }
}
