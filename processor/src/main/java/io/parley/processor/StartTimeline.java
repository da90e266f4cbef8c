package io.parley.processor;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's start, step by step, for operators timing a restart: one INFO line per step with the step's
 * duration and the time since the JVM started ({@code Start step 'flows loaded' took 412 ms; 1893 ms since the JVM
 * started}). The steps are the assembler's (configuration, flows, checks, topology, admin endpoint, Streams started)
 * and then the Streams' own (first assignment, stores restored, {@code RUNNING}), so the log of a restart says
 * where its seconds went without a profiler. Time is injected; the JVM's start comes from its runtime bean.
 */
final class StartTimeline {

    /** The processor's own logger category, as its start and state lines. */
    private static final Logger LOG = LoggerFactory.getLogger(ParleyProcessor.class);

    private final LongSupplier nanoTime;
    /** {@link #nanoTime} at the JVM's start. */
    private final long jvmStartNanos;
    private long lastNanos;
    private boolean restoring;
    private boolean running;
    private long restoredRecords;

    /** A timeline whose first step counts from the JVM's start. */
    StartTimeline(LongSupplier nanoTime, long sinceJvmStartMillis) {
        this(nanoTime, sinceJvmStartMillis, true);
    }

    private StartTimeline(LongSupplier nanoTime, long sinceJvmStartMillis, boolean firstStepFromJvmStart) {
        this.nanoTime = nanoTime;
        long now = nanoTime.getAsLong();
        this.jvmStartNanos = now - TimeUnit.MILLISECONDS.toNanos(sinceJvmStartMillis);
        this.lastNanos = firstStepFromJvmStart ? jvmStartNanos : now;
    }

    /** A timeline of this JVM begun in its main: the first step counts from the JVM's start. */
    static StartTimeline ofThisJvm() {
        return new StartTimeline(System::nanoTime, ManagementFactory.getRuntimeMXBean().getUptime());
    }

    /**
     * A timeline of a processor started inside a JVM that runs already (tests, the bench, an embedding application): the
     * first step counts from now, not from the JVM's start, which may be long before.
     */
    static StartTimeline startingNow() {
        return startingNow(System::nanoTime, ManagementFactory.getRuntimeMXBean().getUptime());
    }

    static StartTimeline startingNow(LongSupplier nanoTime, long sinceJvmStartMillis) {
        return new StartTimeline(nanoTime, sinceJvmStartMillis, false);
    }

    /**
     * Logs that {@code step} has just ended, with its duration since the previous step.
     *
     * @return the line logged (for tests)
     */
    synchronized String step(String step) {
        long now = nanoTime.getAsLong();
        String line = "Start step '" + step + "' took " + millis(now - lastNanos) + " ms; " + millis(now - jvmStartNanos)
                + " ms since the JVM started";
        lastNanos = now;
        LOG.info(line);
        return line;
    }

    /** The first restore of the start has begun (the first assignment is in); later ones are not part of the start. */
    synchronized void restoreStarted() {
        if (!restoring && !running) {
            restoring = true;
            step("assignment received, first store restore started");
        }
    }

    /** Records restored into the stores; those before the first {@code RUNNING} are the start's. */
    synchronized void restored(long records) {
        if (!running) {
            restoredRecords += records;
        }
    }

    /**
     * Logs the first {@code RUNNING} as the last step, with the records restored before it; later rebalances are
     * not part of the start.
     */
    synchronized void running() {
        if (!running) {
            running = true;
            step("running (" + restoredRecords + " records restored)");
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
