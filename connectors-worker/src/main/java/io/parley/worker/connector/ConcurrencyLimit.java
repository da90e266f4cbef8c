package io.parley.worker.connector;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A connector's limit on calls in flight. A call waits for a free slot up to the limit's
 * {@code maxWait}, and never past its own deadline: a slot that frees after the deadline is of no
 * use to the call, and waiting for it would keep the worker's thread and the user's turn hanging.
 * Slots go to waiting calls in arrival order.
 */
final class ConcurrencyLimit {

    /** Why a call got no slot. */
    enum Refusal { LIMIT_REACHED, NO_TIME_BEFORE_DEADLINE }

    private final Semaphore slots;
    private final Duration maxWait;

    ConcurrencyLimit(ConcurrencyLimitSettings settings) {
        this.slots = new Semaphore(settings.maxConcurrent(), true);
        this.maxWait = settings.maxWait();
    }

    /**
     * Takes a slot, waiting at most {@code maxWait} and at most {@code untilDeadline}.
     *
     * @return empty when a slot was taken (give it back with {@link #release()}), else why not
     */
    Optional<Refusal> acquire(Duration untilDeadline) throws InterruptedException {
        boolean deadlineFirst = untilDeadline.compareTo(maxWait) < 0;
        Duration wait = deadlineFirst ? untilDeadline : maxWait;
        if (slots.tryAcquire(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        return Optional.of(deadlineFirst ? Refusal.NO_TIME_BEFORE_DEADLINE : Refusal.LIMIT_REACHED);
    }

    void release() {
        slots.release();
    }
}
