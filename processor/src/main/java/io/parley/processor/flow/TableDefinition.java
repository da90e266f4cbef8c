package io.parley.processor.flow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collections;

/**
 * A reference table a flow reads: the rows of a compacted topic, kept by the processor in RocksDB
 * (a global store, so it need not be co-partitioned with {@code chat.events}).
 *
 * @param name the table's name, as {@code lookup: {table: ...}} and slot entities name it
 * @param topic the compacted topic the rows come from
 * @param keyField the field of a row that is its key
 * @param format how a record's value is read
 * @param indexes secondary indexes: index name → field of the row ({@code customer: customerId})
 * @param names columns whose values name the row, for slot entities (product names → SKU); empty for none
 */
public record TableDefinition(String name, String topic, String keyField, TableFormat format, Map<String, String> indexes,
                              List<String> names) {

    public TableDefinition {
        indexes = Collections.unmodifiableMap(new LinkedHashMap<>(indexes));
        names = List.copyOf(names);
    }

    /** How the value of a table's record is read. */
    public enum TableFormat {
        /** A JSON object: the row. */
        JSON,
        /** An Avro record through the Schema Registry: the row. */
        AVRO,
        /** A Debezium change event (JSON, with or without its schema envelope): {@code after} is the row, {@code op: d} deletes. */
        DEBEZIUM
    }
}
