package io.parley.worker.connector;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.Operation.PreparedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the attempts of a call under one connector's resilience settings (resilience4j): each
 * attempt asks the circuit breaker, the rate limiter and the concurrency limit for a permit, gets
 * the smaller of the connector timeout and the time left to the deadline, and reports its outcome
 * to the breaker. Retriable failures are retried up to {@code maxAttempts}, waiting the backend's
 * {@code Retry-After} when it gave one, else a full-jitter backoff; a wait that would end past the
 * deadline is not started.
 */
public final class CallPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(CallPolicy.class);

    private final ConnectorSettings settings;
    private final Timing timing;
    private final ConnectorMetrics metrics;
    private final CircuitBreaker breaker;
    private final Optional<RateLimiter> rateLimiter;
    private final Optional<ConcurrencyLimit> concurrencyLimit;

    public CallPolicy(ConnectorSettings settings, Timing timing, ConnectorMetrics metrics) {
        this.settings = settings;
        this.timing = timing;
        this.metrics = metrics;
        this.breaker = breaker(settings, timing);
        this.rateLimiter = settings.rateLimit().map(limit -> RateLimiter.of(settings.name(), RateLimiterConfig.custom()
                .limitForPeriod(limit.limit())
                .limitRefreshPeriod(limit.period())
                .timeoutDuration(limit.maxWait())
                .build()));
        this.concurrencyLimit = settings.concurrencyLimit().map(ConcurrencyLimit::new);
        metrics.watch(breaker);
        breaker.getEventPublisher().onStateTransition(event ->
                LOG.warn("Circuit breaker of connector {}: {}", settings.name(), event.getStateTransition()));
    }

    private static CircuitBreaker breaker(ConnectorSettings settings, Timing timing) {
        CircuitBreakerSettings cb = settings.circuitBreaker();
        CircuitBreaker breaker = CircuitBreaker.of(settings.name(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindow())
                .minimumNumberOfCalls(cb.minimumCalls())
                .failureRateThreshold(cb.failureRateThreshold())
                .waitDurationInOpenState(cb.openFor())
                .permittedNumberOfCallsInHalfOpenState(cb.halfOpenCalls())
                // Open → half-open is decided by the injected clock on the next call, not by a timer thread.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .clock(timing.clock())
                .build());
        if (!cb.enabled()) {
            breaker.transitionToDisabledState();
        }
        return breaker;
    }

    /** Runs the call's attempts; never throws except when interrupted. */
    public CallResult execute(String operation, Instant deadline, PreparedCall call) throws InterruptedException {
        int calls = 0;
        Failure last = null;
        for (int attempt = 1; attempt <= settings.retry().maxAttempts(); attempt++) {
            Optional<Failure> refused = acquirePermits(deadline);
            if (refused.isPresent()) {
                return finish(last, refused.get(), calls);
            }
            AttemptOutcome outcome;
            AttemptContext context;
            long started = System.nanoTime();
            try {
                Duration left = Duration.between(timing.clock().instant(), deadline);
                if (left.isZero() || left.isNegative()) {
                    breaker.releasePermission();
                    return finish(last, Failure.permanent(BackendStatus.TIMEOUT, "the deadline passed"), calls);
                }
                context = new AttemptContext(attempt, min(settings.timeout(), left), deadline);
                outcome = run(call, context);
            } finally {
                concurrencyLimit.ifPresent(ConcurrencyLimit::release);
            }
            calls += context.calls();
            report(outcome, context, System.nanoTime() - started);
            if (outcome instanceof AttemptOutcome.Success success) {
                return CallResult.ok(success.result(), calls);
            }
            Failure failure = (Failure) outcome;
            last = failure;
            if (!failure.retriable() || attempt == settings.retry().maxAttempts()) {
                return CallResult.failed(failure.status(), failure.message(), calls);
            }
            Duration wait = failure.retryAfter().isPresent() ? failure.retryAfter().get() : jitteredBackoff(attempt);
            if (timing.clock().instant().plus(wait).isAfter(deadline)) {
                String why = failure.retryAfter().isPresent()
                        ? "; the backend asked to retry after " + wait.toSeconds() + "s, past the deadline"
                        : "; no time left to retry before the deadline";
                return CallResult.failed(failure.status(), failure.message() + why, calls);
            }
            metrics.retry(operation);
            timing.pause().pause(wait);
        }
        throw new IllegalStateException("unreachable: the loop returns on its last attempt");
    }

    /** Full jitter: uniformly anywhere between zero and the ceiling of this retry. */
    private Duration jitteredBackoff(int attempt) {
        long ceiling = settings.retry().backoffCeiling(attempt).toMillis();
        return Duration.ofMillis((long) (timing.jitter().getAsDouble() * ceiling));
    }

    private static AttemptOutcome run(PreparedCall call, AttemptContext context) throws InterruptedException {
        try {
            return call.attempt(context);
        } catch (RuntimeException e) {
            return FailureClassifier.classify(e);
        }
    }

    /**
     * Takes the breaker's, the rate limiter's and the concurrency limit's permits, in that order,
     * giving back what was taken when a later one refuses.
     */
    private Optional<Failure> acquirePermits(Instant deadline) throws InterruptedException {
        if (!breaker.tryAcquirePermission()) {
            return Optional.of(Failure.permanent(BackendStatus.CIRCUIT_OPEN,
                    "the circuit breaker of connector " + settings.name() + " is open"));
        }
        if (rateLimiter.isPresent()) {
            long waitNanos = rateLimiter.get().reservePermission();
            if (waitNanos < 0) {
                breaker.releasePermission();
                return Optional.of(Failure.permanent(BackendStatus.RATE_LIMITED,
                        "the rate limit of connector " + settings.name() + " is reached"));
            }
            Duration wait = Duration.ofNanos(waitNanos);
            if (timing.clock().instant().plus(wait).isAfter(deadline)) {
                breaker.releasePermission();
                return Optional.of(Failure.permanent(BackendStatus.TIMEOUT,
                        "the rate limit of connector " + settings.name() + " leaves no time before the deadline"));
            }
            try {
                timing.pause().pause(wait);
            } catch (InterruptedException e) {
                breaker.releasePermission();
                throw e;
            }
        }
        if (concurrencyLimit.isPresent()) {
            Optional<ConcurrencyLimit.Refusal> refusal;
            try {
                refusal = concurrencyLimit.get().acquire(Duration.between(timing.clock().instant(), deadline));
            } catch (InterruptedException e) {
                breaker.releasePermission();
                throw e;
            }
            if (refusal.isPresent()) {
                breaker.releasePermission();
                return Optional.of(refusal.get() == ConcurrencyLimit.Refusal.NO_TIME_BEFORE_DEADLINE
                        ? Failure.permanent(BackendStatus.TIMEOUT,
                                "the concurrency limit of connector " + settings.name() + " leaves no time before the deadline")
                        : Failure.permanent(BackendStatus.RATE_LIMITED,
                                "the concurrency limit of connector " + settings.name() + " is reached"));
            }
        }
        return Optional.empty();
    }

    private void report(AttemptOutcome outcome, AttemptContext context, long nanos) {
        if (context.calls() == 0) {
            // Nothing reached the backend (refused before sending): it says nothing about the backend's health.
            breaker.releasePermission();
        } else if (outcome instanceof Failure failure && failure.status() == BackendStatus.TIMEOUT
                && context.timeout().compareTo(settings.timeout()) < 0) {
            // The request's deadline, not the connector's timeout, cut the attempt short: the backend was not
            // given its time, so this says nothing about its health. Counting such timeouts let a burst of
            // requests that queued (after a restart, say) open the breaker on a healthy backend.
            breaker.releasePermission();
        } else if (outcome instanceof Failure failure && failure.backendUnhealthy()) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new BackendUnhealthy(failure.status()));
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The outcome when a permit is refused: the earlier attempt's failure tells more than a late refusal. */
    private static CallResult finish(Failure last, Failure refusal, int calls) {
        if (last != null && refusal.status() == BackendStatus.TIMEOUT) {
            return CallResult.failed(last.status(), last.message(), calls);
        }
        return CallResult.failed(refusal.status(), refusal.message(), calls);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** What the breaker records for an unhealthy answer; it carries no stack trace and no details. */
    private static final class BackendUnhealthy extends RuntimeException {

        private static final long serialVersionUID = 1L;

        BackendUnhealthy(BackendStatus status) {
            super(status.name(), null, false, false);
        }
    }
}
