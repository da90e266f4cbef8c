package io.parley.processor.ops;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/**
 * Puts every RocksDB store on the instance's shared {@link RocksDbMemory}. Kafka Streams creates
 * this class by name, so the shared memory is handed over in the Streams configuration
 * ({@value #MEMORY_CONFIG}) rather than through a static field: two processors in one JVM (tests,
 * the benchmark) each keep their own budget.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

    /** The Streams configuration entry holding the instance's {@link RocksDbMemory}. */
    public static final String MEMORY_CONFIG = "parley.rocksdb.memory";

    private static final long BLOCK_SIZE = 16 * 1024L;
    private static final int MEMTABLES = 2;
    static final int FILE_OPENING_THREADS = 1;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        if (!(configs.get(MEMORY_CONFIG) instanceof RocksDbMemory memory)) {
            throw new IllegalStateException(MEMORY_CONFIG + " is not set; start the processor through ParleyProcessor");
        }
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        table.setBlockSize(BLOCK_SIZE);
        options.setWriteBufferManager(memory.writeBufferManager());
        options.setMaxWriteBufferNumber(MEMTABLES);
        options.setTableFormatConfig(table);
        // RocksDB opens a store's table files on 16 threads of its own by default, created for each open. A task's
        // stores hold a few files each, and their index and filter blocks are read later, into the cache (above), so
        // the threads cost more than they save: one thread opened a store in half the time, with 1 and with 24 files
        // (docs/production.md). Every restart opens every store on disk, and a returning instance its standbys'.
        options.setMaxFileOpeningThreads(FILE_OPENING_THREADS);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write-buffer manager are shared by every store; RocksDbMemory closes them.
    }
}
