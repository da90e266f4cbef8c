package io.parley.worker.connector;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.schemas.BackendStatus;
import java.time.Duration;

/**
 * The meters of one connector, tagged by connector and operation (a versioned operation as {@code name@version}):
 * <ul>
 *   <li>{@code parley.worker.call} (timer, tag {@code status}): duration of each answered call, retries included;</li>
 *   <li>{@code parley.worker.responses} (counter, tag {@code status}): answers by status;</li>
 *   <li>{@code parley.worker.retries} (counter): attempts after the first;</li>
 *   <li>{@code parley.worker.invalid.responses} (counter): answers that did not match the operation's response
 *       schema (also counted as {@code parley.worker.responses} with status {@code INVALID_RESPONSE});</li>
 *   <li>{@code parley.worker.cache.hits} / {@code parley.worker.cache.misses} (counters);</li>
 *   <li>{@code parley.worker.circuit.state} (gauge, connector only): 0 closed, 1 open, 2 half-open,
 *       3 disabled, 4 forced open, 5 metrics only.</li>
 * </ul>
 */
public final class ConnectorMetrics {

    public static final String CALL = "parley.worker.call";
    public static final String RESPONSES = "parley.worker.responses";
    public static final String RETRIES = "parley.worker.retries";
    public static final String INVALID_RESPONSES = "parley.worker.invalid.responses";
    public static final String CACHE_HITS = "parley.worker.cache.hits";
    public static final String CACHE_MISSES = "parley.worker.cache.misses";
    public static final String CIRCUIT_STATE = "parley.worker.circuit.state";

    /** Histogram buckets of a call's duration: from a cached lookup to a slow backend's timeout. */
    static final Duration[] CALL_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final String connector;

    public ConnectorMetrics(MeterRegistry registry, String connector) {
        this.registry = registry;
        this.connector = connector;
    }

    public void recordCall(String operation, BackendStatus status, Duration latency) {
        String statusTag = status.name();
        Timer.builder(CALL).description("Backend calls, retries included")
                .tags("connector", connector, "operation", operation, "status", statusTag)
                // Fixed buckets, so dashboards and alerts can compute percentiles across workers.
                .serviceLevelObjectives(CALL_BUCKETS)
                .register(registry).record(latency);
        countResponse(operation, status);
    }

    /** Counts an answer given without timing a call (unknown operation, invalid parameters). */
    public void countResponse(String operation, BackendStatus status) {
        Counter.builder(RESPONSES).description("Backend responses by status")
                .tags("connector", connector, "operation", operation, "status", status.name())
                .register(registry).increment();
    }

    public void retry(String operation) {
        Counter.builder(RETRIES).description("Attempts after the first")
                .tags("connector", connector, "operation", operation)
                .register(registry).increment();
    }

    public void invalidResponse(String operation) {
        Counter.builder(INVALID_RESPONSES).description("Answers that did not match the operation's response schema")
                .tags("connector", connector, "operation", operation)
                .register(registry).increment();
    }

    public void cacheHit(String operation) {
        Counter.builder(CACHE_HITS).tags("connector", connector, "operation", operation).register(registry).increment();
    }

    public void cacheMiss(String operation) {
        Counter.builder(CACHE_MISSES).tags("connector", connector, "operation", operation).register(registry).increment();
    }

    /** Publishes the breaker's state as a number; see the class comment. */
    public void watch(CircuitBreaker breaker) {
        // A reload builds the connector again: the gauge must follow the new breaker, not keep the old one.
        Gauge earlier = registry.find(CIRCUIT_STATE).tags("connector", connector).gauge();
        if (earlier != null) {
            registry.remove(earlier);
        }
        Gauge.builder(CIRCUIT_STATE, breaker, b -> b.getState().getOrder())
                .description("Circuit breaker state: 0 closed, 1 open, 2 half-open, 3 disabled, 4 forced open, 5 metrics only")
                .tags("connector", connector)
                .register(registry);
    }
}
