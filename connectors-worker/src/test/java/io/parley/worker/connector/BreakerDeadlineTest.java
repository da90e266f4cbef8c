package io.parley.worker.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker judges the backend, not the callers' deadlines: timeouts of attempts that a
 * request's deadline cut shorter than the connector's timeout do not open it (a burst of requests
 * that queued, after a processor restart say, must not turn a healthy database into CIRCUIT_OPEN
 * for everyone); timeouts of attempts that had the whole connector timeout do.
 */
class BreakerDeadlineTest {

    private static final Instant START = Instant.parse("2026-12-04T05:00:00Z");
    private static final Duration CONNECTOR_TIMEOUT = Duration.ofSeconds(2);

    private final ManualTime time = new ManualTime(START);
    private final CallPolicy policy = new CallPolicy(
            new ConnectorSettings("loyalty-db", ConnectorType.JDBC, CONNECTOR_TIMEOUT, new RetrySettings(1, Duration.ofMillis(10),
                    Duration.ofMillis(10), 2.0), new CircuitBreakerSettings(true, 50, 4, 4, Duration.ofSeconds(30), 1),
                    Optional.empty(), Optional.empty(), OptionalLong.empty()),
            time.timing(0.0), new ConnectorMetrics(new SimpleMeterRegistry(), "loyalty-db"));
    private final AtomicInteger calls = new AtomicInteger();

    /** A backend reached by every attempt, whose statement is cancelled by the attempt's timeout. */
    private final Operation.PreparedCall timingOut = context -> {
        context.countCall();
        calls.incrementAndGet();
        return Failure.retriable(BackendStatus.TIMEOUT, "the database did not answer in time");
    };

    @Test
    void timeoutsCutShortByTheRequestsDeadlineDoNotOpenTheBreaker() throws Exception {
        // Given four calls whose deadlines leave each attempt 500 ms of the connector's 2 s, all timing out
        for (int i = 0; i < 4; i++) {
            assertThat(policy.execute("redeemPoints", time.instant().plusMillis(500), timingOut).status())
                    .isEqualTo(BackendStatus.TIMEOUT);
        }

        // When one more call comes
        CallResult next = policy.execute("redeemPoints", time.instant().plusMillis(500), timingOut);

        // Then it still reaches the backend
        assertThat(next.status()).isEqualTo(BackendStatus.TIMEOUT);
        assertThat(calls).hasValue(5);
    }

    @Test
    void timeoutsOfAttemptsThatHadTheWholeConnectorTimeoutOpenIt() throws Exception {
        // Given four calls with time enough for the connector's whole timeout, all timing out
        for (int i = 0; i < 4; i++) {
            policy.execute("redeemPoints", time.instant().plusSeconds(60), timingOut);
        }

        // When one more call comes
        CallResult next = policy.execute("redeemPoints", time.instant().plusSeconds(60), timingOut);

        // Then the breaker answers for the backend
        assertThat(next.status()).isEqualTo(BackendStatus.CIRCUIT_OPEN);
        assertThat(calls).hasValue(4);
    }
}
