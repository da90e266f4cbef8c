package io.parley.bench.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time a child JVM has used so far (user + system, all its threads), read from outside as an
 * operator's tooling would: {@code /proc/<pid>/stat} on Linux. It counts in clock ticks of
 * {@code USER_HZ}, which Linux fixes at 100 per second for every program that reads it.
 */
public final class ChildCpu {

    /** Clock ticks per second of {@code /proc/<pid>/stat} ({@code USER_HZ}). */
    static final long TICKS_PER_SECOND = 100;

    private ChildCpu() {
    }

    /** Nanoseconds of CPU process {@code pid} used, or empty when it is gone or this is not Linux. */
    public static OptionalLong nanos(long pid) {
        try {
            return OptionalLong.of(fromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The CPU nanoseconds of one {@code /proc/<pid>/stat} line: {@code utime} and {@code stime}, its
     * 14th and 15th fields. The 2nd field, the program's name in parentheses, may itself hold spaces
     * and parentheses, so the fields are counted from the last closing parenthesis.
     *
     * The same line describes one thread in {@code /proc/<pid>/task/<tid>/stat}.
     *
     * @throws IllegalArgumentException when the line does not have those fields
     */
    public static long fromStat(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("Not a /proc/<pid>/stat line: no ')' after the program name");
        }
        String[] fields = stat.substring(close + 1).strip().split("\\s+");
        // fields[0] is field 3 (state), so utime (14) is fields[11] and stime (15) fields[12].
        if (fields.length < 13) {
            throw new IllegalArgumentException("Not a /proc/<pid>/stat line: " + (fields.length + 2) + " fields, utime and stime are 14 and 15");
        }
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
