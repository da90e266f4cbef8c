package io.parley.processor.tables;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a record of a table's topic does to the table. */
public sealed interface TableChange {

    /** The row with this key is now {@code row}. */
    record Upsert(String key, ObjectNode row) implements TableChange {
    }

    /** The row with this key is gone (a tombstone, or a Debezium {@code op: d}). */
    record Delete(String key) implements TableChange {
    }

    /**
     * The record cannot be read as a row; it is skipped.
     *
     * @param reason a short, fixed description (a metric tag; never record content)
     */
    record Skip(String reason) implements TableChange {
    }
}
