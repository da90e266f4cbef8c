package io.parley.processor.tables;

import java.util.List;
import java.util.Optional;

/**
 * Read access to the flows' reference tables, as the conversation logic sees them: no Kafka types,
 * so the logic is tested with a map-backed implementation. Rows are JSON objects.
 */
public interface ReferenceTables {

    /** No tables at all (flows that declare none). */
    ReferenceTables NONE = new ReferenceTables() {
        @Override
        public Optional<String> row(String table, String key) {
            return Optional.empty();
        }

        @Override
        public Rows rows(String table, String index, String value, int limit) {
            return new Rows(List.of(), false);
        }

        @Override
        public List<String> keysNamed(String table, String phrase) {
            return List.of();
        }
    };

    /** The row with this key, as JSON. */
    Optional<String> row(String table, String key);

    /** Up to {@code limit} rows whose indexed field has this value, in key order. */
    Rows rows(String table, String index, String value, int limit);

    /**
     * The keys of the rows one of whose name columns is this phrase (normalised by
     * {@link EntityText#phrase}), in key order.
     */
    List<String> keysNamed(String table, String phrase);

    /**
     * Rows listed by an index.
     *
     * @param rows the rows as JSON, in key order
     * @param more whether there were more rows than the limit
     */
    record Rows(List<String> rows, boolean more) {

        public Rows {
            rows = List.copyOf(rows);
        }
    }
}
