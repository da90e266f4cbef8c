package io.parley.processor.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.processor.flow.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * How one table is laid out in its key-value store (RocksDB, ordered by key bytes), so that rows,
 * index listings and name lookups are each a point read or a prefix scan:
 * <ul>
 *   <li>{@code r␀<key>} → the row as JSON;</li>
 *   <li>{@code i␀<index>␀<value>␀<key>} → the key (a secondary index entry);</li>
 *   <li>{@code n␀<phrase>␀<key>} → the key (a name of the row, normalised by {@link EntityText}).</li>
 * </ul>
 * A change rewrites the row's index and name entries, so a row changed or deleted leaves none behind.
 */
public final class TableStore {

    private static final char SEP = '\u0000';
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StringSerializer PREFIX = new StringSerializer();

    private TableStore() {
    }

    static String rowKey(String key) {
        return "r" + SEP + key;
    }

    private static String indexPrefix(String index, String value) {
        return "i" + SEP + index + SEP + value + SEP;
    }

    private static String namePrefix(String phrase) {
        return "n" + SEP + phrase + SEP;
    }

    /** Applies a change: the row, and its index and name entries, replace what the key had. */
    public static void apply(KeyValueStore<String, String> store, TableDefinition table, TableChange change) {
        if (change instanceof TableChange.Upsert upsert) {
            remove(store, table, upsert.key());
            store.put(rowKey(upsert.key()), upsert.row().toString());
            entries(table, upsert.key(), upsert.row()).forEach(entry -> store.put(entry, upsert.key()));
        } else if (change instanceof TableChange.Delete delete) {
            remove(store, table, delete.key());
        }
    }

    private static void remove(KeyValueStore<String, String> store, TableDefinition table, String key) {
        String old = store.get(rowKey(key));
        if (old == null) {
            return;
        }
        entries(table, key, parse(old)).forEach(store::delete);
        store.delete(rowKey(key));
    }

    /** The index and name entries of a row. */
    private static Set<String> entries(TableDefinition table, String key, JsonNode row) {
        Set<String> entries = new LinkedHashSet<>();
        for (Map.Entry<String, String> index : table.indexes().entrySet()) {
            JsonNode value = row.get(index.getValue());
            if (value != null && value.isValueNode() && !value.isNull()) {
                entries.add(indexPrefix(index.getKey(), value.asText()) + key);
            }
        }
        if (!table.names().isEmpty()) {
            Set<String> phrases = new LinkedHashSet<>();
            phrases.add(EntityText.phrase(key));
            for (String column : table.names()) {
                JsonNode names = row.get(column);
                if (names != null && names.isArray()) {
                    names.forEach(name -> phrases.add(EntityText.phrase(name.asText())));
                } else if (names != null && names.isValueNode() && !names.isNull()) {
                    phrases.add(EntityText.phrase(names.asText()));
                }
            }
            phrases.stream().filter(phrase -> !phrase.isEmpty()).forEach(phrase -> entries.add(namePrefix(phrase) + key));
        }
        return entries;
    }

    static Optional<String> row(ReadOnlyKeyValueStore<String, String> store, String key) {
        return Optional.ofNullable(store.get(rowKey(key)));
    }

    static ReferenceTables.Rows rows(ReadOnlyKeyValueStore<String, String> store, String index, String value, int limit) {
        List<String> rows = new ArrayList<>();
        boolean more = false;
        try (KeyValueIterator<String, String> entries = store.prefixScan(indexPrefix(index, value), PREFIX)) {
            while (entries.hasNext()) {
                KeyValue<String, String> entry = entries.next();
                if (rows.size() == limit) {
                    more = true;
                    break;
                }
                String row = store.get(rowKey(entry.value));
                if (row != null) {
                    rows.add(row);
                }
            }
        }
        return new ReferenceTables.Rows(rows, more);
    }

    static List<String> keysNamed(ReadOnlyKeyValueStore<String, String> store, String phrase) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = store.prefixScan(namePrefix(phrase), PREFIX)) {
            entries.forEachRemaining(entry -> keys.add(entry.value));
        }
        return keys;
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored row is not JSON", e);
        }
    }
}
