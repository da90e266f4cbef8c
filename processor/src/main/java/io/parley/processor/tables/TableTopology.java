package io.parley.processor.tables;

import io.parley.processor.flow.TableDefinition;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.serde.registry.SchemaRegistryClient;
import java.util.Collection;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.Stores;

/**
 * Adds the flows' reference tables to a topology, each as a global store (RocksDB) fed from its
 * compacted topic by a {@link TableUpdater}. Global, so a table need not be co-partitioned with
 * {@code chat.events}: every instance reads every partition of the table's topic and holds the
 * whole table. Names: store {@code table-<name>}, source {@code table-<name>-source}, updater
 * {@code table-<name>} (as its store). A global store has no changelog: its topic is its changelog, and on
 * restore its records go through the updater again.
 */
public final class TableTopology {

    private TableTopology() {
    }

    public static String storeName(String table) {
        return "table-" + table;
    }

    /** @param registry the client that reads the schemas of Avro tables (the processor's one) */
    public static void add(StreamsBuilder builder, Collection<TableDefinition> tables, SchemaRegistryClient registry,
                           ProcessorMetrics metrics) {
        for (TableDefinition table : tables) {
            Function<byte[], String> avro = table.format() == TableDefinition.TableFormat.AVRO
                    ? new AvroRows(table.topic(), registry)
                    : value -> {
                        throw new IllegalStateException("table '" + table.name() + "' is not an Avro table");
                    };
            builder.addGlobalStore(
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(table.name())), Serdes.String(), Serdes.String())
                            .withLoggingDisabled(),
                    table.topic(),
                    Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                            // Kafka Streams names the source <name>-source and the processor <name>.
                            .withName(storeName(table.name())),
                    () -> new TableUpdater(table, new TableRecords(table, avro), metrics));
        }
    }
}
