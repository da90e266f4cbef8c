package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What every connector has, whatever its type: its name, the timeout of one attempt, retries,
 * circuit breaker, rate and concurrency limits, and the largest answer it accepts.
 *
 * @param name the name requests use ({@code BackendRequest.connector})
 * @param type the kind of backend
 * @param timeout the longest one attempt may take (each attempt also stops at the request's deadline)
 * @param retry how failed attempts are retried
 * @param circuitBreaker when calls stop reaching a failing backend
 * @param rateLimit calls per period, when limited
 * @param concurrencyLimit calls in flight, when limited
 * @param maxResponseBytes the largest answer accepted, when it differs from the worker's setting
 * @param defaultVersions for each versioned operation, the {@code name@version} a plain name calls
 *     (see {@link OperationVersions})
 */
public record ConnectorSettings(String name, ConnectorType type, Duration timeout, RetrySettings retry,
                                CircuitBreakerSettings circuitBreaker, Optional<RateLimitSettings> rateLimit,
                                Optional<ConcurrencyLimitSettings> concurrencyLimit, OptionalLong maxResponseBytes,
                                Map<String, String> defaultVersions) {

    public ConnectorSettings {
        defaultVersions = Map.copyOf(defaultVersions);
    }

    /** Settings of a connector without versioned operations. */
    public ConnectorSettings(String name, ConnectorType type, Duration timeout, RetrySettings retry,
                             CircuitBreakerSettings circuitBreaker, Optional<RateLimitSettings> rateLimit,
                             Optional<ConcurrencyLimitSettings> concurrencyLimit, OptionalLong maxResponseBytes) {
        this(name, type, timeout, retry, circuitBreaker, rateLimit, concurrencyLimit, maxResponseBytes, Map.of());
    }

    /** The operation a request's operation name calls: the default version of a versioned one, else the name itself. */
    public String resolve(String operation) {
        return defaultVersions.getOrDefault(operation, operation);
    }

    public static final String NAME = "name";
    public static final String TYPE = "type";
    public static final String TIMEOUT = "timeout";
    public static final String RETRY = "retry";
    public static final String CIRCUIT_BREAKER = "circuitBreaker";
    public static final String RATE_LIMIT = "rateLimit";
    public static final String CONCURRENCY_LIMIT = "concurrencyLimit";
    public static final String MAX_RESPONSE_BYTES = "maxResponseBytes";
    public static final String OPERATIONS = "operations";

    /** The keys every connector may have; each type adds its own. */
    public static final List<String> KEYS = List.of(NAME, TYPE, TIMEOUT, RETRY, CIRCUIT_BREAKER, RATE_LIMIT,
            CONCURRENCY_LIMIT, MAX_RESPONSE_BYTES, OPERATIONS);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Reads the common part of a connector entry (its type has been checked by the caller). */
    public static ConnectorSettings from(ConfigSection connector, ConnectorType type) {
        String name = connector.requiredString(NAME);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw connector.error(NAME, "'" + name + "' is not a valid connector name (letters, digits, '_', '.', '-')");
        }
        OptionalLong maxResponseBytes = connector.has(MAX_RESPONSE_BYTES)
                ? OptionalLong.of(connector.longValue(MAX_RESPONSE_BYTES, 0, 1, Integer.MAX_VALUE))
                : OptionalLong.empty();
        return new ConnectorSettings(
                name,
                type,
                connector.positiveDuration(TIMEOUT, DEFAULT_TIMEOUT),
                connector.object(RETRY).map(RetrySettings::from).orElse(RetrySettings.DEFAULTS),
                connector.object(CIRCUIT_BREAKER).map(CircuitBreakerSettings::from).orElse(CircuitBreakerSettings.DEFAULTS),
                connector.object(RATE_LIMIT).map(RateLimitSettings::from),
                connector.object(CONCURRENCY_LIMIT).map(ConcurrencyLimitSettings::from),
                maxResponseBytes,
                OperationVersions.defaults(connector));
    }
}
