package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;

import java.time.Duration;

/**
 * At most {@code maxConcurrent} backend calls in flight at once for one connector. A call that
 * finds none free waits at most {@code maxWait}, then is answered {@code RATE_LIMITED} without
 * reaching the backend.
 */
public record ConcurrencyLimitSettings(int maxConcurrent, Duration maxWait) {

    public static final String MAX_CONCURRENT = "maxConcurrent";
    public static final String MAX_WAIT = "maxWait";

    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(1);

    /** Reads a {@code concurrencyLimit:} section; {@code maxConcurrent} is required. */
    public static ConcurrencyLimitSettings from(ConfigSection section) {
        section.allowOnly(MAX_CONCURRENT, MAX_WAIT);
        if (!section.has(MAX_CONCURRENT)) {
            throw section.error(MAX_CONCURRENT, "is required (calls in flight at once)");
        }
        return new ConcurrencyLimitSettings(
                section.intValue(MAX_CONCURRENT, 1, 1, 100_000),
                section.duration(MAX_WAIT, DEFAULT_MAX_WAIT));
    }
}
