package io.parley.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The resident set line of Linux's {@code /proc/<pid>/status}. */
public final class ResidentSet {

    private ResidentSet() {
    }

    /**
     * The resident set of process {@code pid} now, in bytes.
     *
     * @param what the program, for messages ("processor", "gateway")
     */
    public static long of(long pid, String what) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return parseStatusLine(line);
                }
            }
            throw new IllegalStateException(status + " has no VmRSS line");
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("Cannot read the " + what + "'s resident set: " + status
                    + " does not exist (the bench reads /proc, which needs Linux, and the process must be running)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + status, e);
        }
    }

    /**
     * Bytes of a {@code VmRSS:    123456 kB} line (the kernel always writes kB, meaning KiB).
     *
     * @throws IllegalArgumentException when the line is not a VmRSS line in kB
     */
    static long parseStatusLine(String line) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length != 3 || !parts[0].equals("VmRSS:") || !parts[2].equals("kB") || !parts[1].matches("\\d{1,15}")) {
            throw new IllegalArgumentException("Not a VmRSS line of /proc/<pid>/status: '" + line + "'");
        }
        return Long.parseLong(parts[1]) * 1024;
    }
}
