package io.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    private static final long MILLI = 1_000_000L;

    @Test
    void summarisesPercentilesInMilliseconds() {
        // Given latencies of 1 to 100 ms
        LatencyHistogram histogram = new LatencyHistogram(Duration.ofMinutes(1));
        for (int ms = 1; ms <= 100; ms++) {
            histogram.recordNanos(ms * MILLI);
        }

        // When summarised
        LatencySummary summary = histogram.summary().orElseThrow();

        // Then the percentiles are those values, within the histogram's three significant digits
        assertThat(summary.count()).isEqualTo(100);
        assertThat(summary.p50()).isCloseTo(50, within(0.1));
        assertThat(summary.p95()).isCloseTo(95, within(0.1));
        assertThat(summary.p99()).isCloseTo(99, within(0.1));
        assertThat(summary.max()).isCloseTo(100, within(0.1));
        assertThat(summary.mean()).isCloseTo(50.5, within(0.1));
    }

    @Test
    void aLatencyBeyondTheRangeIsKeptAtTheTopAndCounted() {
        // Given a range of one second
        LatencyHistogram histogram = new LatencyHistogram(Duration.ofSeconds(1));

        // When a five-second latency is recorded
        histogram.recordNanos(5_000 * MILLI);

        // Then it counts, at the top of the range, and is reported as clamped
        assertThat(histogram.count()).isEqualTo(1);
        assertThat(histogram.clamped()).isEqualTo(1);
        assertThat(histogram.summary().orElseThrow().max()).isCloseTo(1_000, within(1.0));
    }

    @Test
    void nothingRecordedMeansNoSummary() {
        assertThat(new LatencyHistogram(Duration.ofSeconds(1)).summary()).isEmpty();
    }
}
