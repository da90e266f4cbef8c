package io.parley.processor.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the records Kafka Streams restores into the processor's stores from their changelogs,
 * as {@code parley_state_restored_records_total{store}}. A restore is what makes a restarted or
 * promoted instance slow to answer again, so operators (and the recovery tests) can see whether
 * an instance rebuilt its state or kept it.
 */
public final class StateRestoreMetrics implements StateRestoreListener {

    private static final Logger LOG = LoggerFactory.getLogger(StateRestoreMetrics.class);

    private final MeterRegistry registry;

    public StateRestoreMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        LOG.info("Restoring store {} from {} offsets {} to {}", store, changelog, startingOffset, endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long restored) {
        restoredRecords(store).increment(restored);
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        LOG.info("Restored store {} from {}: {} records", store, changelog, totalRestored);
    }

    private Counter restoredRecords(String store) {
        return Counter.builder("parley.state.restored.records")
                .description("Records restored into a state store from its changelog, by store")
                .tag("store", store)
                .register(registry);
    }
}
