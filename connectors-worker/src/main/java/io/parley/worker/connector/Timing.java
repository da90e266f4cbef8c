package io.parley.worker.connector;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Time as connectors see it: the clock (deadlines, token expiry, breaker, cache TTL), how they
 * wait (backoff, Retry-After), and the random numbers of backoff jitter. Injected so tests control all three.
 *
 * @param clock the current time
 * @param pause how to wait
 * @param jitter a uniform random number in [0, 1) per call
 */
public record Timing(Clock clock, Pause pause, DoubleSupplier jitter) {

    public Timing {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(pause, "pause");
        Objects.requireNonNull(jitter, "jitter");
    }

    /** The system clock, real sleeps and real randomness. */
    public static Timing system() {
        return new Timing(Clock.systemUTC(), Pause.SLEEP, () -> ThreadLocalRandom.current().nextDouble());
    }
}
