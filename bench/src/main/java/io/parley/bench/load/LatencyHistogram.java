package io.parley.bench.load;

import java.time.Duration;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Turn latencies in an HdrHistogram at microsecond resolution with three significant digits.
 * Not thread-safe: one thread records (the reply collector), others read only after it stopped.
 */
public final class LatencyHistogram {

    private static final long NANOS_PER_MICRO = 1_000;
    private static final double MICROS_PER_MILLI = 1_000.0;

    private final Histogram histogram;
    private final long highestMicros;
    private long clamped;

    /** @param highest the largest latency kept exactly; longer ones are recorded as this value and counted */
    public LatencyHistogram(Duration highest) {
        this.highestMicros = Math.max(2, highest.toNanos() / NANOS_PER_MICRO);
        this.histogram = new Histogram(highestMicros, 3);
    }

    /** Records one latency; a negative reading (clock skew between threads) counts as zero. */
    public void recordNanos(long latencyNanos) {
        long micros = Math.max(0, latencyNanos / NANOS_PER_MICRO);
        if (micros > highestMicros) {
            clamped++;
            micros = highestMicros;
        }
        histogram.recordValue(micros);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** Latencies longer than the histogram's range, recorded at its top. */
    public long clamped() {
        return clamped;
    }

    /** The percentiles, or empty when nothing was recorded. */
    public Optional<LatencySummary> summary() {
        if (histogram.getTotalCount() == 0) {
            return Optional.empty();
        }
        return Optional.of(new LatencySummary(
                histogram.getTotalCount(),
                millis(histogram.getValueAtPercentile(50)),
                millis(histogram.getValueAtPercentile(95)),
                millis(histogram.getValueAtPercentile(99)),
                millis(histogram.getMaxValue()),
                histogram.getMean() / MICROS_PER_MILLI));
    }

    private static double millis(long micros) {
        return micros / MICROS_PER_MILLI;
    }
}
