package io.parley.worker.kafka;

import java.time.Duration;

/**
 * How a consumer loop that failed unexpectedly is started again: after {@code initial}, doubling
 * with each failure in a row up to {@code max}. A loop that ran for {@code max} or longer before
 * failing starts again from {@code initial}: its failure is not part of a crash loop.
 */
record LoopRestarts(Duration initial, Duration max) {

    static final LoopRestarts DEFAULT = new LoopRestarts(Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** The wait before the restart after the {@code failures}-th failure in a row (1 for the first). */
    Duration backoff(int failures) {
        long millis = initial.toMillis();
        for (int i = 1; i < failures && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /** Failures in a row, counting this one, given how long the loop ran before it. */
    int failuresInARow(int before, Duration ran) {
        return ran.compareTo(max) >= 0 ? 1 : before + 1;
    }
}
