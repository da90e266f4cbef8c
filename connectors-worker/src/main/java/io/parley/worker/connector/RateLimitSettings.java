package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;

import java.time.Duration;

/**
 * At most {@code limit} backend calls per {@code period} for one connector, across all its
 * operations. A call that finds no permit waits at most {@code maxWait} (and never past its
 * request's deadline), then is answered {@code RATE_LIMITED} without reaching the backend.
 */
public record RateLimitSettings(int limit, Duration period, Duration maxWait) {

    public static final String LIMIT = "limit";
    public static final String PERIOD = "period";
    public static final String MAX_WAIT = "maxWait";

    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(500);

    /** Reads a {@code rateLimit:} section; {@code limit} is required. */
    public static RateLimitSettings from(ConfigSection section) {
        section.allowOnly(LIMIT, PERIOD, MAX_WAIT);
        if (!section.has(LIMIT)) {
            throw section.error(LIMIT, "is required (calls per period)");
        }
        return new RateLimitSettings(
                section.intValue(LIMIT, 1, 1, 1_000_000),
                section.positiveDuration(PERIOD, DEFAULT_PERIOD),
                section.duration(MAX_WAIT, DEFAULT_MAX_WAIT));
    }
}
