package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuSplitTest {

    @Test
    void threadsAreSortedByTheirNames() {
        // Given the names Kafka Streams and the Kafka clients give their threads
        String app = "bench-x-s8-alos-2c1e-4a";

        // Then each falls in its kind
        assertThat(ThreadCpuSplit.kindOf(app + "-StreamThread-1")).isEqualTo(ThreadCpuSplit.STREAM);
        assertThat(ThreadCpuSplit.kindOf("kafka-producer-network-thread | " + app + "-StreamThread-2-producer"))
                .isEqualTo(ThreadCpuSplit.PROCESSOR_PRODUCER);
        assertThat(ThreadCpuSplit.kindOf(app + "-GlobalStreamThread")).isEqualTo(ThreadCpuSplit.GLOBAL);
        assertThat(ThreadCpuSplit.kindOf("kafka-producer-network-thread | producer-3")).isEqualTo(ThreadCpuSplit.LOAD_PRODUCER);
        assertThat(ThreadCpuSplit.kindOf("data-plane-kafka-request-handler-0")).isEqualTo(ThreadCpuSplit.BROKER);
        assertThat(ThreadCpuSplit.nativeKindOf("GC Thread#1")).isEqualTo(ThreadCpuSplit.GC);
        assertThat(ThreadCpuSplit.nativeKindOf("C2 CompilerThre")).isEqualTo(ThreadCpuSplit.JIT);
        assertThat(ThreadCpuSplit.nativeKindOf("rocksdb:low")).isEqualTo(ThreadCpuSplit.ROCKSDB);
        assertThat(ThreadCpuSplit.nativeKindOf("bench-x-s8-alos")).isNull();
    }

    @Test
    void theLoadThreadsWorkIsCountedAsLoadAndInTheTotal() {
        // Given a snapshot
        long self = Thread.currentThread().getId();
        ThreadCpuSplit before = ThreadCpuSplit.now(self);

        // When this thread works for a while
        long until = ManagementClock.cpuNanos() + 50_000_000L;
        double sink = 0;
        while (ManagementClock.cpuNanos() < until) {
            sink += Math.sqrt(sink + 1);
        }
        Map<String, Double> split = ThreadCpuSplit.now(self).microsPerUnitSince(before, 1);

        // Then its CPU time is the load's, and the process total is at least that
        assertThat(sink).isPositive();
        assertThat(split.get(ThreadCpuSplit.LOAD)).isGreaterThanOrEqualTo(40_000.0);
        assertThat(split.get(ThreadCpuSplit.TOTAL)).isGreaterThanOrEqualTo(split.get(ThreadCpuSplit.LOAD) * 0.9);
    }

    /** This thread's CPU time. */
    private static final class ManagementClock {
        static long cpuNanos() {
            return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
    }
}
