package io.parley.processor.topology;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The CPU time one input may take in the conversation step ({@code limits.turnCpuBudget}).
 * Bounded inputs and linear-time matching keep turns far below it; the budget is the backstop
 * that catches what they miss. Work cannot be interrupted halfway, so a turn over budget is
 * recognised when it returns: what it decided is dropped, and the user gets an error reply.
 */
final class TurnBudget {

    private final long budgetNanos;
    private final LongSupplier cpuNanos;

    /**
     * @param cpuNanos the calling thread's CPU time in nanoseconds (a test steps its own)
     */
    TurnBudget(Duration budget, LongSupplier cpuNanos) {
        this.budgetNanos = budget.toNanos();
        this.cpuNanos = cpuNanos;
    }

    /** A budget measured on the stream thread's CPU time, or on elapsed time where the JVM cannot tell CPU time. */
    static TurnBudget of(Duration budget) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        return new TurnBudget(budget, cpu ? threads::getCurrentThreadCpuTime : System::nanoTime);
    }

    /** Starts measuring a turn on the calling thread. */
    long start() {
        return cpuNanos.getAsLong();
    }

    /** Whether the turn started at {@code started} (from {@link #start()}) took more than the budget. */
    boolean exceeded(long started) {
        return cpuNanos.getAsLong() - started > budgetNanos;
    }
}
