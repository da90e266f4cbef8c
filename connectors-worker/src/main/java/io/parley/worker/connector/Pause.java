package io.parley.worker.connector;

import java.time.Duration;

/** Waits; injected so that tests of backoff and Retry-After control time instead of sleeping. */
@FunctionalInterface
public interface Pause {

    /** Really waits, on the calling thread. */
    Pause SLEEP = duration -> {
        if (!duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    };

    void pause(Duration duration) throws InterruptedException;
}
