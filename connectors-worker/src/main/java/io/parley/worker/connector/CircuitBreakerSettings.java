package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;

import java.time.Duration;

/**
 * When a connector stops calling a failing backend. Over the last {@code slidingWindow} calls (once
 * at least {@code minimumCalls} were made), a failure rate at or above {@code failureRateThreshold}
 * percent opens the breaker: calls are answered {@code CIRCUIT_OPEN} without reaching the backend
 * for {@code openFor}; then {@code halfOpenCalls} trial calls decide whether it closes again.
 * Failures are server errors, timeouts and broken connections; client errors are the caller's fault
 * and count as successes. A timeout of an attempt that the request's deadline made shorter than the
 * connector's {@code timeout} is not counted either way.
 */
public record CircuitBreakerSettings(boolean enabled, float failureRateThreshold, int minimumCalls, int slidingWindow,
                                     Duration openFor, int halfOpenCalls) {

    public static final String ENABLED = "enabled";
    public static final String FAILURE_RATE_THRESHOLD = "failureRateThreshold";
    public static final String MINIMUM_CALLS = "minimumCalls";
    public static final String SLIDING_WINDOW = "slidingWindow";
    public static final String OPEN_FOR = "openFor";
    public static final String HALF_OPEN_CALLS = "halfOpenCalls";

    public static final CircuitBreakerSettings DEFAULTS =
            new CircuitBreakerSettings(true, 50f, 10, 20, Duration.ofSeconds(30), 3);

    /** Reads a {@code circuitBreaker:} section; absent keys keep their defaults. */
    public static CircuitBreakerSettings from(ConfigSection section) {
        section.allowOnly(ENABLED, FAILURE_RATE_THRESHOLD, MINIMUM_CALLS, SLIDING_WINDOW, OPEN_FOR, HALF_OPEN_CALLS);
        CircuitBreakerSettings settings = new CircuitBreakerSettings(
                section.bool(ENABLED, DEFAULTS.enabled),
                (float) section.doubleValue(FAILURE_RATE_THRESHOLD, DEFAULTS.failureRateThreshold, 1, 100),
                section.intValue(MINIMUM_CALLS, DEFAULTS.minimumCalls, 1, 10_000),
                section.intValue(SLIDING_WINDOW, DEFAULTS.slidingWindow, 1, 10_000),
                section.positiveDuration(OPEN_FOR, DEFAULTS.openFor),
                section.intValue(HALF_OPEN_CALLS, DEFAULTS.halfOpenCalls, 1, 1_000));
        if (settings.minimumCalls > settings.slidingWindow) {
            throw section.error(MINIMUM_CALLS, "must not be larger than " + SLIDING_WINDOW + " (" + settings.slidingWindow + ")");
        }
        return settings;
    }
}
