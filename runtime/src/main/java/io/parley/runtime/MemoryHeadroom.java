package io.parley.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How much memory a new process could take without pushing this one's container (its cgroup) over
 * its limit or the machine out of memory: the smaller of what the cgroup has left (v2
 * {@code memory.max - memory.current}, v1 {@code memory.limit_in_bytes - memory.usage_in_bytes})
 * and the kernel's {@code MemAvailable}. The cgroup's usage includes the page cache of the files its
 * processes read and wrote (RocksDB's files, the logs), which the kernel drops before it kills anyone:
 * its inactive part ({@code inactive_file} in v2's {@code memory.stat}, {@code total_inactive_file} in
 * v1's) does not count, as the kubelet counts a pod's working set for its evictions. Read from the
 * files under a root ({@code /} on a real machine) so that the arithmetic can be tested on files of
 * the same shape.
 */
final class MemoryHeadroom {

    private final Path root;

    MemoryHeadroom(Path root) {
        this.root = root;
    }

    static MemoryHeadroom ofThisMachine() {
        return new MemoryHeadroom(Path.of("/"));
    }

    /** The headroom in bytes, or empty when none of the files could be read (not Linux, say). */
    OptionalLong bytes() {
        OptionalLong available = memAvailable();
        OptionalLong cgroup = cgroupLeft();
        if (available.isPresent() && cgroup.isPresent()) {
            return OptionalLong.of(Math.min(available.getAsLong(), cgroup.getAsLong()));
        }
        return available.isPresent() ? available : cgroup;
    }

    private OptionalLong cgroupLeft() {
        OptionalLong v2 = left("sys/fs/cgroup/memory.max", "sys/fs/cgroup/memory.current", "sys/fs/cgroup/memory.stat", "inactive_file");
        return v2.isPresent() ? v2 : left("sys/fs/cgroup/memory/memory.limit_in_bytes", "sys/fs/cgroup/memory/memory.usage_in_bytes",
                "sys/fs/cgroup/memory/memory.stat", "total_inactive_file");
    }

    /**
     * Limit minus the working set (usage minus the inactive file cache, when the stat file tells it); empty without a
     * limit ("max" in v2, a number near Long.MAX_VALUE in v1) or without the files.
     */
    private OptionalLong left(String limitFile, String usageFile, String statFile, String inactiveFileKey) {
        OptionalLong limit = number(limitFile);
        OptionalLong usage = number(usageFile);
        if (limit.isEmpty() || usage.isEmpty() || limit.getAsLong() >= Long.MAX_VALUE / 2) {
            return OptionalLong.empty();
        }
        long inactiveFile = Math.min(usage.getAsLong(), field(statFile, inactiveFileKey).orElse(0));
        return OptionalLong.of(Math.max(0, limit.getAsLong() - (usage.getAsLong() - inactiveFile)));
    }

    /**
     * The number after {@code key} on its line of a file of "key number [unit]" lines (a cgroup's memory.stat,
     * /proc/meminfo); empty when the file or the line is missing or the number unreadable.
     */
    private OptionalLong field(String file, String key) {
        try {
            for (String line : Files.readAllLines(root.resolve(file))) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 2 && parts[0].equals(key)) {
                    return OptionalLong.of(Long.parseLong(parts[1]));
                }
            }
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private OptionalLong number(String file) {
        try {
            String text = Files.readString(root.resolve(file)).strip();
            return text.chars().allMatch(Character::isDigit) && !text.isEmpty() ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private OptionalLong memAvailable() {
        OptionalLong kib = field("proc/meminfo", "MemAvailable:");
        return kib.isPresent() ? OptionalLong.of(kib.getAsLong() * 1024) : kib;
    }
}
