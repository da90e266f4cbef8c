package io.parley.processor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

class ScrapeSafeKafkaStreamsTest {

    @Test
    void theStoresUncommittedBytesGaugesAreLeftOutAndEveryOtherMetricKept() {
        // Given the metrics of a store and of a thread, among them the gauge that must not be read from outside
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        MetricName uncommitted = name("uncommitted-bytes", "stream-state-metrics");
        MetricName restoreRate = name("restore-rate", "stream-state-metrics");
        MetricName commitRate = name("commit-rate", "stream-thread-metrics");
        for (MetricName name : new MetricName[] {uncommitted, restoreRate, commitRate}) {
            metrics.put(name, new KafkaMetric(new Object(), name, (Measurable) (config, now) -> 1.0, new MetricConfig(), Time.SYSTEM));
        }

        // When they are offered to metrics readers
        Map<MetricName, Metric> offered = ScrapeSafeKafkaStreams.withoutUnsafeGauges(metrics);

        // Then
        assertThat(offered.keySet()).containsExactlyInAnyOrder(restoreRate, commitRate);
    }

    private static MetricName name(String name, String group) {
        return new MetricName(name, group, "", Map.of("task-id", "0_1"));
    }
}
