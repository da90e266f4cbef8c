package io.parley.processor.tables;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The flows' reference tables as the processor holds them: one global store per table
 * ({@link TableTopology#storeName}), the same on every stream thread. The conversation step attaches
 * the stores when its tasks start (a global store is only reachable through a processor's context);
 * reads are thread-safe.
 */
public final class GlobalTables implements ReferenceTables {

    private final List<String> tables;
    private final Map<String, ReadOnlyKeyValueStore<String, String>> stores = new ConcurrentHashMap<>();

    /** @param tables the names of the tables the flows declare */
    public GlobalTables(List<String> tables) {
        this.tables = List.copyOf(tables);
    }

    /** Attaches the stores, given a processor context's store lookup by name; idempotent. */
    public void attach(Function<String, ReadOnlyKeyValueStore<String, String>> storeByName) {
        for (String table : tables) {
            stores.computeIfAbsent(table, name -> storeByName.apply(TableTopology.storeName(name)));
        }
    }

    @Override
    public Optional<String> row(String table, String key) {
        return TableStore.row(store(table), key);
    }

    @Override
    public Rows rows(String table, String index, String value, int limit) {
        return TableStore.rows(store(table), index, value, limit);
    }

    @Override
    public List<String> keysNamed(String table, String phrase) {
        return TableStore.keysNamed(store(table), phrase);
    }

    private ReadOnlyKeyValueStore<String, String> store(String table) {
        ReadOnlyKeyValueStore<String, String> store = stores.get(table);
        if (store == null) {
            throw new IllegalStateException("table '" + table + "' is read before the conversation step attached its store");
        }
        return store;
    }
}
