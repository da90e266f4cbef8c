package io.parley.runtime.audit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What redacting a turn's audit texts costs, with and without skipping the patterns a text cannot match: CPU time of
 * the measuring thread per text, over S2's texts (the user's message, the order answer with a date, a greeting, an
 * error reply).
 *
 * Not a test of speed (nothing here fails on a figure); not run by default (the name does not end in Test).
 * Run: {@code ./mvnw -B -pl runtime verify -Dtest=RedactionCostProbe -Dsurefire.failIfNoSpecifiedTests=false}
 * The figures go to {@code runtime/target/redaction-cost.md}.
 */
class RedactionCostProbe {

    private static final String[] TEXTS = {
        "where is my order 1001", "Order 1001 is shipped and should arrive on 2026-12-06.", "hello",
        "Sorry, I can't look up orders right now."};
    private static final int TEXTS_PER_ROUND = 200_000;
    private static final int ROUNDS = 5;

    @Test
    void measure() throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StringBuilder report = new StringBuilder("| round | every pattern, µs CPU per text | patterns that can match, µs CPU per text |\n|---|---|---|\n");
        for (int round = 1; round <= ROUNDS; round++) {
            double every = cpuMicrosPerText(threads, false);
            double skipping = cpuMicrosPerText(threads, true);
            report.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f |%n", round, every, skipping));
        }
        Path out = Path.of("target", "redaction-cost.md");
        Files.writeString(out, report);
        System.out.print(report);
    }

    private static double cpuMicrosPerText(ThreadMXBean threads, boolean shortcuts) {
        long kept = 0;
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < TEXTS_PER_ROUND; i++) {
            kept += Redactor.redact(TEXTS[i % TEXTS.length], shortcuts).length();
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        if (kept == 0) {
            throw new IllegalStateException("nothing redacted");
        }
        return cpu / 1_000.0 / TEXTS_PER_ROUND;
    }
}
