package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
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

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("rocksdb", "The state stores' memory")
            .key("totalMemory", "size (at least 16MiB)", "128MiB", "one budget for all state stores: block cache, index and filter blocks, memtables")
            .key("writeBufferPercent", "integer 5-90", "25", "the part of it memtables may use");

    static RocksDbSettings read(ConfigSection section) {
        long total = section.string("totalMemory")
                .map(text -> ByteSizes.parse(section.where("totalMemory"), text))
                .orElse(DEFAULTS.totalMemoryBytes());
        int percent = section.intValue("writeBufferPercent", DEFAULTS.writeBufferPercent(), 5, 90);
        section.allowOnly(KEYS);
        if (total < (16L << 20)) {
            throw section.error("totalMemory", "must be at least 16MiB");
        }
        return new RocksDbSettings(total, percent);
    }

    public long writeBufferBytes() {
        return totalMemoryBytes * writeBufferPercent / 100;
    }
}
