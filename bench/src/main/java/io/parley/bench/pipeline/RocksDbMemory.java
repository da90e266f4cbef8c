package io.parley.bench.pipeline;

/**
 * RocksDB memory, in bytes, summed over the processor's stores.
 *
 * @param blockCacheUsage {@code rocksdb.block-cache-usage} (shared cache counted once)
 * @param memTables {@code rocksdb.cur-size-all-mem-tables}
 * @param tableReaders {@code rocksdb.estimate-table-readers-mem}
 * @param pinned {@code rocksdb.block-cache-pinned-usage}
 */
public record RocksDbMemory(long blockCacheUsage, long memTables, long tableReaders, long pinned) {

    /** Cache, memtables and table readers: what the bounded-memory config setter caps. */
    public long total() {
        return blockCacheUsage + memTables + tableReaders;
    }
}
