package io.parley.bench.pipeline;

/** The resident set line of Linux's {@code /proc/<pid>/status}. */
final class ResidentSet {

    private ResidentSet() {
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
