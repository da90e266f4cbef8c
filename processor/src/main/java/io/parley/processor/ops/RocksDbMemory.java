package io.parley.processor.ops;

import io.parley.processor.config.RocksDbSettings;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The memory every RocksDB store of one processor instance shares: one block cache (data, index
 * and filter blocks) and one write-buffer manager that charges memtables to the same cache, so the
 * total stays within the configured budget however many stores and partitions the instance holds.
 * Owned by the running processor and closed after Kafka Streams.
 */
public final class RocksDbMemory implements AutoCloseable {

    /** The share of the cache kept for index and filter blocks, which every read needs. */
    private static final double HIGH_PRIORITY_RATIO = 0.1;

    static {
        // Kafka Streams loads the native library when it opens a store; the shared cache exists before that.
        RocksDB.loadLibrary();
    }

    private final Cache cache;
    private final WriteBufferManager writeBufferManager;

    public RocksDbMemory(RocksDbSettings settings) {
        this.cache = new LRUCache(settings.totalMemoryBytes(), -1, false, HIGH_PRIORITY_RATIO);
        this.writeBufferManager = new WriteBufferManager(settings.writeBufferBytes(), cache);
    }

    Cache cache() {
        return cache;
    }

    WriteBufferManager writeBufferManager() {
        return writeBufferManager;
    }

    @Override
    public void close() {
        writeBufferManager.close();
        cache.close();
    }
}
