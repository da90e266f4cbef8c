package io.parley.bench.pipeline;

/**
 * RocksDB memory, in bytes, over the processor's stores.
 *
 * <p>Parley's stores share one block cache, and its write-buffer manager charges memtables to
 * that cache (RocksDB inserts placeholder entries for them), so the block cache usage already
 * holds the memtables: they are shown on their own but not added again.
 *
 * @param blockCacheUsage {@code rocksdb.block-cache-usage} of the shared cache (counted once), memtables included
 * @param memTables {@code rocksdb.cur-size-all-mem-tables}, summed over stores
 * @param tableReaders {@code rocksdb.estimate-table-readers-mem}, summed over stores (outside the cache)
 * @param pinned {@code rocksdb.block-cache-pinned-usage} of the shared cache
 */
public record RocksDbMemory(long blockCacheUsage, long memTables, long tableReaders, long pinned) {

    /** The shared cache (data, index and filter blocks, memtables) plus table readers: what RocksDB holds. */
    public long total() {
        return blockCacheUsage + tableReaders;
    }
}
