package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;

import java.time.Duration;

/**
 * How a connector retries a failed attempt: at most {@code maxAttempts} calls in all, waiting a
 * random time between zero and {@code min(maxBackoff, initialBackoff * multiplier^(n-1))} before
 * retry {@code n} ("full jitter", so that many workers retrying at once spread out).
 *
 * @param maxAttempts calls in all, the first included; 1 disables retries
 * @param initialBackoff the ceiling of the first wait
 * @param maxBackoff the largest ceiling of any wait
 * @param multiplier how much the ceiling grows per retry
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

    public static final String MAX_ATTEMPTS = "maxAttempts";
    public static final String INITIAL_BACKOFF = "initialBackoff";
    public static final String MAX_BACKOFF = "maxBackoff";
    public static final String MULTIPLIER = "multiplier";

    public static final RetrySettings DEFAULTS = new RetrySettings(3, Duration.ofMillis(100), Duration.ofSeconds(2), 2.0);

    /** Reads a {@code retry:} section; absent keys keep their defaults. */
    public static RetrySettings from(ConfigSection section) {
        section.allowOnly(MAX_ATTEMPTS, INITIAL_BACKOFF, MAX_BACKOFF, MULTIPLIER);
        RetrySettings settings = new RetrySettings(
                section.intValue(MAX_ATTEMPTS, DEFAULTS.maxAttempts, 1, 20),
                section.duration(INITIAL_BACKOFF, DEFAULTS.initialBackoff),
                section.duration(MAX_BACKOFF, DEFAULTS.maxBackoff),
                section.doubleValue(MULTIPLIER, DEFAULTS.multiplier, 1.0, 10.0));
        if (settings.maxBackoff.compareTo(settings.initialBackoff) < 0) {
            throw section.error(MAX_BACKOFF, "must not be smaller than " + INITIAL_BACKOFF);
        }
        return settings;
    }

    /** The largest wait before retry number {@code retry} (1 for the first retry). */
    public Duration backoffCeiling(int retry) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
    }
}
