package io.parley.processor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.config.RocksDbSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/** Every store of an instance is put on the instance's one memory budget. */
class BoundedMemoryRocksDbConfigTest {

    private final BoundedMemoryRocksDbConfig setter = new BoundedMemoryRocksDbConfig();

    @Test
    void storesShareTheInstancesWriteBufferManagerAndCacheIndexBlocksInTheSharedCache() {
        try (RocksDbMemory memory = new RocksDbMemory(new RocksDbSettings(64L << 20, 25));
             Options first = new Options();
             Options second = new Options()) {
            Map<String, Object> configs = Map.of(BoundedMemoryRocksDbConfig.MEMORY_CONFIG, memory);
            // Kafka Streams hands the setter options that already have a block-based table config.
            first.setTableFormatConfig(new BlockBasedTableConfig());
            second.setTableFormatConfig(new BlockBasedTableConfig());

            setter.setConfig("sessions", first, configs);
            setter.setConfig("deadlines", second, configs);

            assertThat(first.writeBufferManager()).isSameAs(memory.writeBufferManager());
            assertThat(second.writeBufferManager()).isSameAs(memory.writeBufferManager());
            BlockBasedTableConfig table = (BlockBasedTableConfig) first.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
            assertThat(first.maxFileOpeningThreads()).isEqualTo(BoundedMemoryRocksDbConfig.FILE_OPENING_THREADS).isEqualTo(1);
        }
    }

    @Test
    void withoutTheSharedMemoryTheSetterRefusesClearly() {
        try (Options options = new Options()) {
            assertThatThrownBy(() -> setter.setConfig("sessions", options, Map.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(BoundedMemoryRocksDbConfig.MEMORY_CONFIG);
        }
    }

    @Test
    void writeBuffersGetTheirShareOfTheBudget() {
        assertThat(new RocksDbSettings(100L << 20, 25).writeBufferBytes()).isEqualTo(25L << 20);
    }
}
