package io.parley.worker.http;

import io.parley.runtime.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a whole HTTP exchange, body included, by interrupting the thread that makes it when its
 * time is up: the JDK client cancels an exchange whose caller is interrupted. A request's own
 * timeout only covers the wait for the response headers. One timer thread per connector.
 */
final class CallDeadlines implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timer;

    CallDeadlines(String connector) {
        this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("parley-http-deadlines-" + connector));
        // Nearly every call ends in time: its cancelled timeout must not linger in the queue.
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Interrupts the calling thread after {@code timeout}, unless the returned deadline is closed first. */
    Deadline start(Duration timeout) {
        Deadline deadline = new Deadline(Thread.currentThread());
        deadline.task = timer.schedule(deadline::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return deadline;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The deadline of one exchange; close it when the exchange is over, on the thread that started it. */
    static final class Deadline implements AutoCloseable {

        private final Thread caller;
        private ScheduledFuture<?> task;
        private boolean expired;
        private boolean closed;

        private Deadline(Thread caller) {
            this.caller = caller;
        }

        private synchronized void expire() {
            if (!closed) {
                expired = true;
                caller.interrupt();
            }
        }

        /** Whether the time ran out (so an interruption of the caller was this deadline's). */
        synchronized boolean expired() {
            return expired;
        }

        @Override
        public void close() {
            task.cancel(false);
            boolean interruptedByUs;
            synchronized (this) {
                closed = true;
                interruptedByUs = expired;
            }
            if (interruptedByUs) {
                // The exchange finished just as time ran out: the interruption was for it, not for this thread's owner.
                Thread.interrupted();
            }
        }
    }
}
