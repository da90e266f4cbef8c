package io.parley.bench.load;

import java.util.concurrent.locks.LockSupport;

/**
 * The monotonic clock and the wait that the load generator paces itself with; injected so the
 * pacing can be tested without waiting.
 */
public interface NanoTimer {

    /** A monotonic reading in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Returns once {@link #nanoTime()} has reached {@code deadlineNanos} (at once if it already has). */
    void parkUntil(long deadlineNanos);

    /** The system's monotonic clock. */
    static NanoTimer system() {
        return SystemNanoTimer.INSTANCE;
    }

    /** {@link System#nanoTime()} with {@link LockSupport#parkNanos(long)}, re-parking after early wake-ups. */
    final class SystemNanoTimer implements NanoTimer {

        static final SystemNanoTimer INSTANCE = new SystemNanoTimer();

        private SystemNanoTimer() {
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkUntil(long deadlineNanos) {
            long remaining;
            while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                LockSupport.parkNanos(remaining);
            }
        }
    }
}
