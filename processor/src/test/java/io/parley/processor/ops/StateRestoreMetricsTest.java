package io.parley.processor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StateRestoreMetricsTest {

    @Test
    void restoredRecordsAreCountedPerStoreAcrossPartitionsAndBatches() {
        // Given
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StateRestoreMetrics restores = new StateRestoreMetrics(registry);
        TopicPartition sessions0 = new TopicPartition("app-sessions-changelog", 0);
        TopicPartition sessions1 = new TopicPartition("app-sessions-changelog", 1);

        // When
        restores.onRestoreStart(sessions0, "sessions", 0, 300);
        restores.onBatchRestored(sessions0, "sessions", 199, 200);
        restores.onBatchRestored(sessions0, "sessions", 299, 100);
        restores.onRestoreEnd(sessions0, "sessions", 300);
        restores.onBatchRestored(sessions1, "sessions", 41, 42);
        restores.onBatchRestored(new TopicPartition("app-deadlines-changelog", 0), "deadlines", 6, 7);

        // Then
        assertThat(registry.get("parley.state.restored.records").tag("store", "sessions").counter().count()).isEqualTo(342);
        assertThat(registry.get("parley.state.restored.records").tag("store", "deadlines").counter().count()).isEqualTo(7);
    }
}
