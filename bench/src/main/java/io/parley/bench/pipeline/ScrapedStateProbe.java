package io.parley.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Reads a running processor from outside, as an operator would: its resident set from
 * {@code /proc/<pid>/status} (Linux), everything else from its {@code /metrics} endpoint.
 *
 * <p>RocksDB figures are Kafka Streams' property-based metrics (recorded at the default INFO
 * level), one series per store and task. The processor's stores share one block cache, which
 * every store reports whole, so the cache counts once (the largest report); memtables and table
 * readers are summed. Live sessions are RocksDB's key estimate of the {@code sessions} store,
 * summed over tasks. Punctuations come from the processor's {@code parley_punctuation_seconds} timer.
 *
 * <p>Store metrics appear on {@code /metrics} only when the processor's metrics binder next looks
 * for new Kafka metrics (once a minute), not when the stores open; reading them waits for that.
 */
final class ScrapedStateProbe implements StateProbe {

    static final String BLOCK_CACHE_USAGE = "kafka_stream_state_block_cache_usage";
    static final String BLOCK_CACHE_PINNED = "kafka_stream_state_block_cache_pinned_usage";
    static final String MEMTABLES = "kafka_stream_state_cur_size_all_mem_tables";
    static final String TABLE_READERS = "kafka_stream_state_estimate_table_readers_mem";
    static final String NUM_KEYS = "kafka_stream_state_estimate_num_keys";
    static final String PUNCTUATION = "parley_punctuation_seconds";
    static final Map<String, String> SESSIONS_STORE = Map.of("rocksdb_state_id", "sessions");
    private static final Duration STORE_METRICS_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STORE_METRICS_POLL = Duration.ofSeconds(1);

    private final ProcessorProcess processor;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ScrapedStateProbe(ProcessorProcess processor) {
        this.processor = processor;
    }

    @Override
    public long processorResidentBytes() {
        return ResidentSet.of(processor.pid(), "processor");
    }

    @Override
    public long processorMaxHeapBytes() {
        return processor.maxHeapBytes();
    }

    @Override
    public RocksDbMemory rocksDbMemory() {
        MetricsSamples metrics = scrapeWithStoreMetrics();
        return new RocksDbMemory(
                (long) metrics.max(BLOCK_CACHE_USAGE, Map.of()).orElse(0),
                (long) metrics.sum(MEMTABLES, Map.of()),
                (long) metrics.sum(TABLE_READERS, Map.of()),
                (long) metrics.max(BLOCK_CACHE_PINNED, Map.of()).orElse(0));
    }

    @Override
    public PunctuationStats punctuations() {
        MetricsSamples metrics = scrape();
        return new PunctuationStats(
                (long) metrics.sum(PUNCTUATION + "_count", Map.of()),
                Math.round(metrics.sum(PUNCTUATION + "_sum", Map.of()) * 1e9),
                Math.round(metrics.max(PUNCTUATION + "_max", Map.of()).orElse(0) * 1e9));
    }

    @Override
    public long liveSessions() {
        return (long) scrapeWithStoreMetrics().sum(NUM_KEYS, SESSIONS_STORE);
    }

    /** A scrape that holds the sessions store's metrics, waiting for the binder to report them. */
    private MetricsSamples scrapeWithStoreMetrics() {
        long deadline = System.nanoTime() + STORE_METRICS_TIMEOUT.toNanos();
        while (true) {
            MetricsSamples metrics = scrape();
            if (!metrics.named(NUM_KEYS, SESSIONS_STORE).isEmpty()) {
                return metrics;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The processor's /metrics has no " + NUM_KEYS + " of the sessions store after "
                        + STORE_METRICS_TIMEOUT + "; its RocksDB metrics cannot be read");
            }
            try {
                Thread.sleep(STORE_METRICS_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the processor's store metrics", e);
            }
        }
    }

    private MetricsSamples scrape() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(processor.adminUrl() + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("The processor's /metrics answered HTTP " + response.statusCode());
            }
            return MetricsSamples.parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the processor's /metrics at " + processor.adminUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the processor's /metrics", e);
        }
    }
}
