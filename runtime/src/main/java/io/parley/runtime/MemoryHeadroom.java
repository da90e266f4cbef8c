package io.parley.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * How much memory a new process could take without pushing this one's container (its cgroup) over
 * its limit or the machine out of memory: the smaller of what the cgroup has left (v2
 * {@code memory.max - memory.current}, v1 {@code memory.limit_in_bytes - memory.usage_in_bytes})
 * and the kernel's {@code MemAvailable}. Read from the files under a root ({@code /} on a real
 * machine) so that the arithmetic can be tested on files of the same shape.
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
        OptionalLong v2 = left("sys/fs/cgroup/memory.max", "sys/fs/cgroup/memory.current");
        return v2.isPresent() ? v2 : left("sys/fs/cgroup/memory/memory.limit_in_bytes", "sys/fs/cgroup/memory/memory.usage_in_bytes");
    }

    /** Limit minus usage; empty without a limit ("max" in v2, a number near Long.MAX_VALUE in v1) or without the files. */
    private OptionalLong left(String limitFile, String usageFile) {
        OptionalLong limit = number(limitFile);
        OptionalLong usage = number(usageFile);
        if (limit.isEmpty() || usage.isEmpty() || limit.getAsLong() >= Long.MAX_VALUE / 2) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, limit.getAsLong() - usage.getAsLong()));
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
        try {
            List<String> lines = Files.readAllLines(root.resolve("proc/meminfo"));
            for (String line : lines) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 2 && parts[0].equals("MemAvailable:")) {
                    long kib = Long.parseLong(parts[1]);
                    return OptionalLong.of(kib * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
