package io.parley.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsSamplesTest {

    private static final String SCRAPE = """
            # HELP kafka_stream_state_estimate_num_keys The estimated number of keys
            # TYPE kafka_stream_state_estimate_num_keys gauge
            kafka_stream_state_estimate_num_keys{rocksdb_state_id="sessions",task_id="0_0",thread_id="t-1"} 40000.0
            kafka_stream_state_estimate_num_keys{rocksdb_state_id="sessions",task_id="0_1",thread_id="t-1"} 60000.0
            kafka_stream_state_estimate_num_keys{rocksdb_state_id="deadlines",task_id="0_0",thread_id="t-1"} 7.0
            kafka_stream_state_block_cache_usage{rocksdb_state_id="sessions",task_id="0_0"} 1.2E7
            kafka_stream_state_block_cache_usage{rocksdb_state_id="deadlines",task_id="0_0"} NaN
            parley_punctuation_seconds_count 120
            parley_punctuation_seconds_max 0.034310884 1732428000000
            odd_label{text="say \\"hi\\", \\\\ then\\nbye"} +Inf
            """;

    @Test
    void sumsASeriesOverTheLabelsItHas() {
        MetricsSamples metrics = MetricsSamples.parse(SCRAPE);

        assertThat(metrics.sum("kafka_stream_state_estimate_num_keys", Map.of("rocksdb_state_id", "sessions"))).isEqualTo(100_000.0);
        assertThat(metrics.sum("kafka_stream_state_estimate_num_keys", Map.of())).isEqualTo(100_007.0);
        assertThat(metrics.sum("parley_punctuation_seconds_count", Map.of())).isEqualTo(120.0);
    }

    @Test
    void theLargestSampleLeavesOutValuesThatAreNotNumbers() {
        MetricsSamples metrics = MetricsSamples.parse(SCRAPE);

        assertThat(metrics.max("kafka_stream_state_block_cache_usage", Map.of())).hasValue(1.2E7);
        assertThat(metrics.max("no_such_metric", Map.of())).isEmpty();
        assertThat(metrics.sum("no_such_metric", Map.of())).isZero();
    }

    @Test
    void aTimestampAfterTheValueIsIgnoredAndEscapedLabelValuesAreRead() {
        MetricsSamples metrics = MetricsSamples.parse(SCRAPE);

        assertThat(metrics.max("parley_punctuation_seconds_max", Map.of())).hasValue(0.034310884);
        assertThat(metrics.named("odd_label", Map.of())).singleElement().satisfies(sample -> {
            assertThat(sample.labels()).containsEntry("text", "say \"hi\", \\ then\nbye");
            assertThat(sample.value()).isInfinite();
        });
    }

    @Test
    void aLineThatIsNotASampleIsNamed() {
        assertThatThrownBy(() -> MetricsSamples.parse("good 1\nbad{label=unquoted} 2\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Line 2")
                .hasMessageContaining("bad{label=unquoted}");
    }
}
