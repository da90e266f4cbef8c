package io.parley.processor.tables;

import io.parley.processor.flow.TableDefinition;
import io.parley.processor.ops.ProcessorMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a table's global store up to date from its topic. A record that is not a row of the table
 * is skipped: a WARN line with topic, partition and offset (never its content) and the
 * {@code parley.skipped.records} metric with reason {@code table-<reason>}. A global store's
 * processor cannot write to other topics, so there is no dead-letter record; the source topic keeps
 * the record.
 */
final class TableUpdater implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(TableUpdater.class);

    private final TableDefinition table;
    private final TableRecords records;
    private final ProcessorMetrics metrics;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, String> store;

    TableUpdater(TableDefinition table, TableRecords records, ProcessorMetrics metrics) {
        this.table = table;
        this.records = records;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(TableTopology.storeName(table.name()));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        TableChange change = records.read(record.key(), record.value());
        if (change instanceof TableChange.Skip skip) {
            String where = context.recordMetadata()
                    .map(m -> "from topic " + m.topic() + " partition " + m.partition() + " offset " + m.offset())
                    .orElse("(no source record)");
            LOG.warn("Skipped record {} of table '{}': {}", where, table.name(), skip.reason());
            metrics.skipped("table-" + skip.reason());
            return;
        }
        TableStore.apply(store, table, change);
    }
}
