package io.parley.bench.load;

/**
 * Percentiles of turn latency, in milliseconds.
 *
 * @param count latencies recorded
 * @param p50 median
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param max the largest recorded
 * @param mean the average
 */
public record LatencySummary(long count, double p50, double p95, double p99, double max, double mean) {
}
