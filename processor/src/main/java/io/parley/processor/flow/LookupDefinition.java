package io.parley.processor.flow;

import java.util.Optional;

/**
 * A step that reads a reference table inside the processor, in the same turn: one row by its key,
 * or up to {@code limit} rows by a secondary index.
 *
 * @param name where the result goes: {@code {{results.<name>}}} (the table's name unless {@code as:} says otherwise)
 * @param table the table
 * @param key the key (or index value) template
 * @param index the secondary index to list rows by; empty for a lookup by key
 * @param limit at most this many rows are listed by an index
 */
public record LookupDefinition(String name, String table, Template key, Optional<String> index, int limit) {

    /** Rows listed by an index unless the lookup says otherwise. */
    public static final int DEFAULT_LIMIT = 10;
    /** The most rows a lookup may list. */
    public static final int MAX_LIMIT = 100;
}
