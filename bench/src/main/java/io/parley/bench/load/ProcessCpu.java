package io.parley.bench.load;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * CPU time this process has used so far, over all its threads: broker, load generator and, where
 * they run in the bench JVM, processor, worker and backend. Divided by the turns of a phase it
 * says what a turn costs on this machine, which throughput alone does not when the cores are
 * shared with other work.
 */
@FunctionalInterface
public interface ProcessCpu {

    /** Nanoseconds of CPU used by this process, if the JVM can tell. */
    OptionalLong nanos();

    /** The JVM's own account ({@code com.sun.management.OperatingSystemMXBean}). */
    static ProcessCpu jvm() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return () -> {
                long nanos = os.getProcessCpuTime();
                return nanos < 0 ? OptionalLong.empty() : OptionalLong.of(nanos);
            };
        }
        return OptionalLong::empty;
    }
}
