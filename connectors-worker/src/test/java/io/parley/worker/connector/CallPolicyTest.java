package io.parley.worker.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallPolicyTest {

    private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

    private final ManualTime time = new ManualTime(START);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private CallPolicy policy(RetrySettings retry, CircuitBreakerSettings breaker, double jitter) {
        ConnectorSettings settings = new ConnectorSettings("shop-api", ConnectorType.HTTP, Duration.ofSeconds(2), retry,
                breaker, Optional.empty(), Optional.empty(), java.util.OptionalLong.empty());
        return new CallPolicy(settings, time.timing(jitter), new ConnectorMetrics(meters, "shop-api"));
    }

    private CallPolicy policy(RetrySettings retry, double jitter) {
        return policy(retry, new CircuitBreakerSettings(false, 50, 10, 20, Duration.ofSeconds(30), 3), jitter);
    }

    /** A backend answering with these outcomes in turn, counting calls. */
    private static Operation.PreparedCall backend(AtomicInteger calls, AttemptOutcome... outcomes) {
        return context -> {
            context.countCall();
            return outcomes[Math.min(calls.getAndIncrement(), outcomes.length - 1)];
        };
    }

    private static final Failure SERVER_ERROR = Failure.retriable(BackendStatus.SERVER_ERROR, "the backend answered HTTP 503");

    @Test
    void retriesWaitAFullJitterBackoffUnderAGrowingCeiling() throws Exception {
        CallPolicy policy = policy(new RetrySettings(4, Duration.ofMillis(100), Duration.ofMillis(300), 2.0), 0.5);

        CallResult result = policy.execute("getOrder", START.plusSeconds(10), backend(new AtomicInteger(), SERVER_ERROR));

        assertThat(result.status()).isEqualTo(BackendStatus.SERVER_ERROR);
        assertThat(result.attempts()).isEqualTo(4);
        // Ceilings 100, 200, 300 (capped) ms; the jitter of 0.5 waits half of each.
        assertThat(time.pauses()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(150));
        assertThat(meters.get(ConnectorMetrics.RETRIES).counter().count()).isEqualTo(3);
    }

    @Test
    void fullJitterCanWaitAnythingFromZeroToTheCeiling() throws Exception {
        CallPolicy none = policy(new RetrySettings(2, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0), 0.0);
        none.execute("getOrder", START.plusSeconds(10), backend(new AtomicInteger(), SERVER_ERROR));
        assertThat(time.pauses()).containsExactly(Duration.ZERO);

        ManualTime other = new ManualTime(START);
        ConnectorSettings settings = new ConnectorSettings("shop-api", ConnectorType.HTTP, Duration.ofSeconds(2),
                new RetrySettings(2, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0),
                new CircuitBreakerSettings(false, 50, 10, 20, Duration.ofSeconds(30), 3), Optional.empty(), Optional.empty(),
                java.util.OptionalLong.empty());
        new CallPolicy(settings, other.timing(0.999), new ConnectorMetrics(meters, "shop-api"))
                .execute("getOrder", START.plusSeconds(10), backend(new AtomicInteger(), SERVER_ERROR));
        assertThat(other.pauses()).containsExactly(Duration.ofMillis(99));
    }

    @Test
    void aRetryAfterIsWaitedAsAskedInsteadOfTheBackoff() throws Exception {
        CallPolicy policy = policy(new RetrySettings(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0), 0.5);
        Failure slowDown = Failure.retriable(BackendStatus.RATE_LIMITED, "the backend answered HTTP 429")
                .withRetryAfter(Optional.of(Duration.ofSeconds(3)));

        CallResult result = policy.execute("getOrder", START.plusSeconds(10),
                backend(new AtomicInteger(), slowDown, new AttemptOutcome.Success(TextNode.valueOf("ok"))));

        assertThat(result.status()).isEqualTo(BackendStatus.OK);
        assertThat(time.pauses()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void noWaitIsStartedThatWouldEndPastTheDeadline() throws Exception {
        CallPolicy policy = policy(new RetrySettings(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0), 0.5);
        Failure slowDown = Failure.retriable(BackendStatus.RATE_LIMITED, "the backend answered HTTP 429")
                .withRetryAfter(Optional.of(Duration.ofSeconds(120)));
        AtomicInteger calls = new AtomicInteger();

        CallResult result = policy.execute("getOrder", START.plusSeconds(10), backend(calls, slowDown));

        assertThat(result.status()).isEqualTo(BackendStatus.RATE_LIMITED);
        assertThat(result.error()).hasValueSatisfying(error -> assertThat(error).contains("past the deadline"));
        assertThat(calls).hasValue(1);
        assertThat(time.pauses()).isEmpty();
    }

    @Test
    void permanentFailuresAreNotRetried() throws Exception {
        CallPolicy policy = policy(RetrySettings.DEFAULTS, 0.5);
        AtomicInteger calls = new AtomicInteger();

        CallResult result = policy.execute("getOrder", START.plusSeconds(10),
                backend(calls, Failure.permanent(BackendStatus.UNAUTHORIZED, "the backend answered HTTP 401")));

        assertThat(result.status()).isEqualTo(BackendStatus.UNAUTHORIZED);
        assertThat(calls).hasValue(1);
    }

    @Test
    void eachAttemptGetsTheSmallerOfTheConnectorTimeoutAndTheTimeLeft() throws Exception {
        CallPolicy policy = policy(new RetrySettings(3, Duration.ofMillis(100), Duration.ofMillis(100), 1.0), 1.0);
        List<Duration> timeouts = new ArrayList<>();
        Operation.PreparedCall slow = context -> {
            timeouts.add(context.timeout());
            context.countCall();
            time.advance(context.timeout());
            return Failure.retriable(BackendStatus.TIMEOUT, "the backend did not answer in time");
        };

        CallResult result = policy.execute("getOrder", START.plusMillis(3_000), slow);

        // 2 s (connector timeout), then the 100 ms backoff leaves 900 ms, then nothing is left to wait for another.
        assertThat(timeouts).containsExactly(Duration.ofSeconds(2), Duration.ofMillis(900));
        assertThat(result.status()).isEqualTo(BackendStatus.TIMEOUT);
        assertThat(result.attempts()).isEqualTo(2);
    }

    @Test
    void theBreakerOpensAtTheFailureRateAndRecoversThroughHalfOpen() throws Exception {
        CallPolicy policy = policy(new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1.0),
                new CircuitBreakerSettings(true, 50, 4, 4, Duration.ofSeconds(30), 2), 0.5);
        AtomicInteger calls = new AtomicInteger();
        Operation.PreparedCall failing = backend(calls, SERVER_ERROR);
        Operation.PreparedCall healthy = context -> {
            context.countCall();
            calls.incrementAndGet();
            return new AttemptOutcome.Success(TextNode.valueOf("ok"));
        };

        // Four failures in a window of four: the breaker opens.
        for (int i = 0; i < 4; i++) {
            policy.execute("getOrder", START.plusSeconds(60), failing);
        }
        CallResult whileOpen = policy.execute("getOrder", time.instant().plusSeconds(60), healthy);
        assertThat(whileOpen.status()).isEqualTo(BackendStatus.CIRCUIT_OPEN);
        assertThat(whileOpen.attempts()).isZero();
        assertThat(calls).hasValue(4);
        assertThat(meters.get(ConnectorMetrics.CIRCUIT_STATE).gauge().value()).isEqualTo(1.0);

        // After openFor, trial calls are let through; they succeed and the breaker closes.
        time.advance(Duration.ofSeconds(31));
        assertThat(policy.execute("getOrder", time.instant().plusSeconds(60), healthy).status()).isEqualTo(BackendStatus.OK);
        assertThat(meters.get(ConnectorMetrics.CIRCUIT_STATE).gauge().value()).isEqualTo(2.0);
        assertThat(policy.execute("getOrder", time.instant().plusSeconds(60), healthy).status()).isEqualTo(BackendStatus.OK);
        assertThat(meters.get(ConnectorMetrics.CIRCUIT_STATE).gauge().value()).isEqualTo(0.0);
    }
}
