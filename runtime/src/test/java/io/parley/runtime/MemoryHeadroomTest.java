package io.parley.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory a new process may take, from files shaped as Linux writes them (cgroup v1 and v2, /proc/meminfo). */
class MemoryHeadroomTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path root;

    @Test
    void aCgroupV2LimitLeavesTheLimitMinusTheUsage() throws IOException {
        write("proc/meminfo", "MemTotal:       32000000 kB\nMemAvailable:   24000000 kB\n");
        write("sys/fs/cgroup/memory.max", 2048 * MIB + "\n");
        write("sys/fs/cgroup/memory.current", 1500 * MIB + "\n");

        assertThat(new MemoryHeadroom(root).bytes()).hasValue(548 * MIB);
    }

    @Test
    void theInactiveFileCacheOfACgroupV2DoesNotCountAsUsed() throws IOException {
        // RocksDB's files read and written: 600 MiB of page cache in the usage, 450 MiB of it inactive
        write("sys/fs/cgroup/memory.max", 2048 * MIB + "\n");
        write("sys/fs/cgroup/memory.current", 1900 * MIB + "\n");
        write("sys/fs/cgroup/memory.stat", "anon " + 1300 * MIB + "\nfile " + 600 * MIB + "\nactive_file " + 150 * MIB
                + "\ninactive_file " + 450 * MIB + "\n");

        assertThat(new MemoryHeadroom(root).bytes()).hasValue((2048 - 1900 + 450) * MIB);
    }

    @Test
    void theInactiveFileCacheOfACgroupV1DoesNotCountAsUsed() throws IOException {
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", 768 * MIB + "\n");
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", 700 * MIB + "\n");
        write("sys/fs/cgroup/memory/memory.stat", "cache " + 200 * MIB + "\ninactive_file " + 1 + "\ntotal_inactive_file "
                + 100 * MIB + "\n");

        assertThat(new MemoryHeadroom(root).bytes()).hasValue(168 * MIB);
    }

    @Test
    void aCgroupV1LimitCountsTheSameWay() throws IOException {
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", 768 * MIB + "\n");
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", 700 * MIB + "\n");

        assertThat(new MemoryHeadroom(root).bytes()).hasValue(68 * MIB);
    }

    @Test
    void withoutALimitTheMachinesAvailableMemoryCounts() throws IOException {
        write("proc/meminfo", "MemTotal:       4000000 kB\nMemFree:        100000 kB\nMemAvailable:   300000 kB\n");
        write("sys/fs/cgroup/memory.max", "max\n");
        write("sys/fs/cgroup/memory.current", 1500 * MIB + "\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", 1500 * MIB + "\n");

        assertThat(new MemoryHeadroom(root).bytes()).hasValue(300000L * 1024);
    }

    @Test
    void theSmallerOfTheTwoCounts() throws IOException {
        write("proc/meminfo", "MemAvailable:   102400 kB\n");
        write("sys/fs/cgroup/memory.max", 2048 * MIB + "\n");
        write("sys/fs/cgroup/memory.current", 0 + "\n");

        assertThat(new MemoryHeadroom(root).bytes()).hasValue(100 * MIB);
    }

    @Test
    void nothingReadableIsNoFigure() {
        assertThat(new MemoryHeadroom(root).bytes()).isEmpty();
    }

    private void write(String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
