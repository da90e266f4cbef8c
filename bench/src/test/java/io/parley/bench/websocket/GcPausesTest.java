package io.parley.bench.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GcPausesTest {

    @Test
    void theWindowCountsThePausesThatEndedInItAndLeavesConcurrentCyclesOut() {
        // Given pauses ending before, in and after the window [100, 200)
        GcPauses gc = new GcPauses(() -> 0L);
        gc.add(99, 50);
        gc.add(100, 3);
        gc.add(150, 12);
        gc.add(199, 0);
        gc.add(200, 40);

        // When the window is summed
        GcPauses.Summary summary = gc.between(100, 200);

        // Then only the three pauses that ended in it count, and cycle beans are no pauses
        assertThat(summary.count()).isEqualTo(3);
        assertThat(summary.totalMillis()).isEqualTo(15);
        assertThat(summary.longestMillis()).isEqualTo(12);
        assertThat(GcPauses.countsPauses("ZGC Minor Pauses")).isTrue();
        assertThat(GcPauses.countsPauses("G1 Young Generation")).isTrue();
        assertThat(GcPauses.countsPauses("ZGC Major Cycles")).isFalse();
        assertThat(GcPauses.countsPauses("Shenandoah Cycles")).isFalse();
    }

    @Test
    void thisJvmsCollectorIsRecorded() {
        // Given the recorder on this JVM's collector beans
        try (GcPauses gc = GcPauses.record(System::nanoTime)) {
            // When a window is summed
            GcPauses.Summary summary = gc.between(Long.MIN_VALUE, Long.MAX_VALUE);

            // Then it names the beans it counts
            assertThat(summary.collectors()).isNotBlank();
            assertThat(summary.count()).isNotNegative();
        }
    }
}
