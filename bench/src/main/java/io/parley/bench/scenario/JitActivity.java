package io.parley.bench.scenario;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * How busy this JVM's JIT compiler has been over a stretch of wall-clock time: the compilers' accumulated
 * compilation time against the time that passed, as a share of one core. A pipeline in the bench JVM has
 * reached its steady state when its compiler has little left to do.
 */
final class JitActivity {

    /** A point to measure from. */
    record Mark(long compilationMillis, long nanos) {
    }

    private final LongSupplier compilationMillis;
    private final LongSupplier nanoTime;

    JitActivity(LongSupplier compilationMillis, LongSupplier nanoTime) {
        this.compilationMillis = compilationMillis;
        this.nanoTime = nanoTime;
    }

    /** The compiler of the JVM this runs in; where the JVM does not count compilation time, a share of 0. */
    static JitActivity ofThisJvm() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        boolean measurable = compiler != null && compiler.isCompilationTimeMonitoringSupported();
        return new JitActivity(measurable ? compiler::getTotalCompilationTime : () -> 0L, System::nanoTime);
    }

    Mark mark() {
        return new Mark(compilationMillis.getAsLong(), nanoTime.getAsLong());
    }

    /** Compilation time since the mark divided by the wall-clock time since it (0.25: a quarter of one core). */
    double shareSince(Mark mark) {
        double wallMillis = Math.max(1e-3, (nanoTime.getAsLong() - mark.nanos()) / 1e6);
        return (compilationMillis.getAsLong() - mark.compilationMillis()) / wallMillis;
    }
}
