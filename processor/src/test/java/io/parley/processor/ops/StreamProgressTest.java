package io.parley.processor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StreamProgressTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final StreamProgress progress = new StreamProgress(nanos::get);

    @Test
    void aThreadOnOneRecordLongerThanTheLimitIsStalledUntilItMovesOn() {
        // Given a stream thread that stays on one record for 61 s
        progress.busy(() -> {
            nanos.addAndGet(Duration.ofSeconds(61).toNanos());

            // Then it is seen as stalled while it is on it
            assertThat(progress.longestBusy()).isEqualTo(Duration.ofSeconds(61));
            assertThat(progress.stalled(Duration.ofSeconds(60))).isTrue();
        });

        // And no longer once it has moved on
        assertThat(progress.stalled(Duration.ofSeconds(60))).isFalse();
        assertThat(progress.longestBusy()).isZero();
    }

    @Test
    void quickRecordsAreNeverStalledAndNestedWorkKeepsTheOuterStart() {
        progress.busy(() -> {
            nanos.addAndGet(Duration.ofSeconds(30).toNanos());
            progress.busy(() -> nanos.addAndGet(Duration.ofSeconds(31).toNanos()));
            assertThat(progress.stalled(Duration.ofSeconds(60))).isTrue();
        });
        assertThat(progress.stalled(Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void theGaugeShowsTheLongestBusyTime() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        new ProcessorMetrics(registry, progress);
        progress.busy(() -> {
            nanos.addAndGet(Duration.ofSeconds(5).toNanos());
            assertThat(registry.get("parley.stream.busy").gauge().value()).isEqualTo(5.0);
        });
    }
}
