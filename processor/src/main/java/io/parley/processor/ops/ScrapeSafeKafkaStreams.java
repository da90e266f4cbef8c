package io.parley.processor.ops;

import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Kafka Streams whose {@link #metrics()} leave out the state stores' {@code uncommitted-bytes}
 * gauges. In Kafka Streams 4.4.0 that gauge reads a transactional store's native write buffer
 * without any lock; read from another thread (the metrics binder, a {@code /metrics} scrape) while
 * a task closes its store, it reads freed memory and the JVM dies with SIGSEGV (seen in bench S6,
 * rolling restart: {@code WriteBatch.getDataSize} under {@code RocksDBStore.approximateNumUncommittedBytes}
 * on the micrometer-kafka-metrics thread). The stream threads still use the figure themselves.
 */
public final class ScrapeSafeKafkaStreams extends KafkaStreams {

    /** The store metric that must not be read from outside the stream threads. */
    public static final String UNSAFE_METRIC = "uncommitted-bytes";

    public ScrapeSafeKafkaStreams(Topology topology, Properties props) {
        super(topology, props);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return withoutUnsafeGauges(super.metrics());
    }

    static Map<MetricName, Metric> withoutUnsafeGauges(Map<MetricName, ? extends Metric> metrics) {
        return metrics.entrySet().stream()
                .filter(entry -> !UNSAFE_METRIC.equals(entry.getKey().name()))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
