package io.parley.processor.config;

import io.parley.runtime.config.ConfigSection;
import io.parley.runtime.config.ByteSizes;

/**
 * The {@code rocksdb:} section of processor.yaml: one memory budget shared by every state store
 * of the instance (block cache, index and filter blocks, and memtables).
 *
 * @param totalMemoryBytes the budget ({@code 128MiB})
 * @param writeBufferPercent the part of it memtables may use ({@code 25})
 */
public record RocksDbSettings(long totalMemoryBytes, int writeBufferPercent) {

    public static final RocksDbSettings DEFAULTS = new RocksDbSettings(128L << 20, 25);

    static RocksDbSettings read(ConfigSection section) {
        long total = section.string("totalMemory")
                .map(text -> ByteSizes.parse(section.where("totalMemory"), text))
                .orElse(DEFAULTS.totalMemoryBytes());
        int percent = section.intValue("writeBufferPercent", DEFAULTS.writeBufferPercent(), 5, 90);
        section.rejectUnknownKeys();
        if (total < (16L << 20)) {
            throw section.error("totalMemory", "must be at least 16MiB");
        }
        return new RocksDbSettings(total, percent);
    }

    public long writeBufferBytes() {
        return totalMemoryBytes * writeBufferPercent / 100;
    }
}
