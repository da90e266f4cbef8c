package io.parley.processor.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What each stream thread is doing: since when it has been on its current record (or punctuation).
 * A thread stuck on one record — a pathological input, a lock — stops a whole partition while the
 * Kafka Streams state still says RUNNING; readiness asks {@link #stalled(Duration)} instead of
 * trusting that state alone.
 */
public final class StreamProgress {

    private final LongSupplier nanoTime;
    private final Map<Thread, Long> busySince = new ConcurrentHashMap<>();

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}; tests step their own) */
    public StreamProgress(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Runs one unit of work of the calling stream thread, known as busy while it runs. */
    public void busy(Runnable work) {
        Thread thread = Thread.currentThread();
        // A nested call (a punctuation forwarding to a processor) keeps the outer start.
        boolean outer = busySince.putIfAbsent(thread, nanoTime.getAsLong()) == null;
        try {
            work.run();
        } finally {
            if (outer) {
                busySince.remove(thread);
            }
        }
    }

    /** The longest time a thread has been on its current work; zero when all are idle. */
    public Duration longestBusy() {
        long now = nanoTime.getAsLong();
        long longest = 0;
        for (long since : busySince.values()) {
            longest = Math.max(longest, now - since);
        }
        return Duration.ofNanos(longest);
    }

    /** Whether a thread has been on one piece of work for longer than {@code after}. */
    public boolean stalled(Duration after) {
        return longestBusy().compareTo(after) > 0;
    }
}
