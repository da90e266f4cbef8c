package io.parley.bench.load;

/**
 * Schedules sends at a fixed offered rate, open loop: send {@code n} is due at
 * {@code start + n / rate}, whatever happened to earlier sends. When the sender falls behind
 * (the producer blocked, the machine stalled), the late send keeps its scheduled time, so the
 * latency measured from that time includes the wait. Measuring from the actual send time
 * instead would quietly drop the slow periods from the figures (coordinated omission).
 */
public final class OpenLoopPacer {

    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final double perSecond;
    private final long startNanos;
    private final NanoTimer timer;

    /**
     * @param perSecond offered sends per second, above zero
     * @param startNanos when send 0 is due, in the timer's nanoseconds
     */
    public OpenLoopPacer(double perSecond, long startNanos, NanoTimer timer) {
        if (!(perSecond > 0) || !Double.isFinite(perSecond)) {
            throw new IllegalArgumentException("An offered rate must be a positive number of sends per second, not " + perSecond);
        }
        this.perSecond = perSecond;
        this.startNanos = startNanos;
        this.timer = timer;
    }

    /**
     * When send {@code n} is due. Computed from the start each time rather than by adding a
     * period, so rounding never accumulates into drift over a long run.
     */
    public long dueNanos(long n) {
        return startNanos + Math.round(n * NANOS_PER_SECOND / perSecond);
    }

    /** Waits until send {@code n} is due and returns its scheduled time (not the time it woke). */
    public long awaitDue(long n) {
        long due = dueNanos(n);
        timer.parkUntil(due);
        return due;
    }

    public double perSecond() {
        return perSecond;
    }
}
