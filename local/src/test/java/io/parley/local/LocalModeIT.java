package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode as a user starts it: its own JVM ({@code java -cp ... io.parley.local.LocalMode}, what
 * {@code ./parley} runs), a question and a demo device's measurement piped into standard input, the reply and the
 * device's alert read from standard output.
 */
class LocalModeIT {

    /** Broker, processor and worker start from nothing, on a machine that may be busy with other builds. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path temp;

    @Test
    void aPipedQuestionIsAnsweredFromTheDemoShopAndLocalModeExitsZero() throws Exception {
        Path data = temp.resolve("data");
        Path stdout = temp.resolve("stdout.txt");
        Path stderr = temp.resolve("stderr.txt");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LocalMode.class.getName(),
                "--data", data.toString(),
                // Free ports: another local mode (or a docker-compose stack) may run on this machine.
                "--registry-port", "0", "--processor-admin-port", "0", "--worker-admin-port", "0"))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                // The demo freezer belongs to alice, the console's user: its alert comes back to her conversation, and she
                // answers it. -20 then -2 would fire freezer-warming-fast (more than 3 °C per minute), but it is muted.
                stdin.write(("where is my order 1001\n/device freezer-1 temperature -5\nwhat happened?\nmute for 1 hour\n"
                        + "/device freezer-1 temperature -20\n/device freezer-1 temperature -2\n").getBytes(StandardCharsets.UTF_8));
            }

            boolean exited = process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            String output = Files.readString(stdout, StandardCharsets.UTF_8);
            assertThat(exited).as("local mode exited within %s; it printed:%n%s%s", RUN_TIMEOUT, output, diagnostics(stderr, data))
                    .isTrue();
            assertThat(process.exitValue()).as("exit code; it printed:%n%s%s", output, diagnostics(stderr, data)).isZero();
            assertThat(output)
                    .contains("Kafka bootstrap servers", "Schema registry", "chat.events (3)", "/sessions/<conversation id>")
                    .contains("alice> where is my order 1001")
                    .contains("bot [answer] Order 1001 is SHIPPED: 42.50 EUR, placed on 2026-11-20. Tracking number: TRK-1001.")
                    .contains("alice> /device freezer-1 temperature -5")
                    .contains("bot [notification] Your Freezer in store 12 is at -5 °C, above -15 °C. Maria Lopez is on duty (+44 20 7946 0012).")
                    .contains("alice> what happened?")
                    .containsPattern("bot \\[answer\\] Your Freezer in store 12 reported temperature -5 at \\S+ \\(rule freezer-too-warm\\)\\.")
                    .contains("alice> mute for 1 hour")
                    .contains("bot [answer] Muted: no alerts from your Freezer for 1 hour.")
                    .contains("alice> /device freezer-1 temperature -2")
                    .doesNotContain("warming by");
            assertThat(data.resolve("parley.log")).as("the log goes to the data folder").isNotEmptyFile();
        } finally {
            process.destroyForcibly();
        }
    }

    private static String diagnostics(Path stderr, Path data) throws IOException {
        Path log = data.resolve("parley.log");
        List<String> logLines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        return "%nstderr:%n%s%nlast log lines:%n%s".formatted(Files.readString(stderr, StandardCharsets.UTF_8),
                String.join(System.lineSeparator(), logLines.subList(Math.max(0, logLines.size() - 40), logLines.size())));
    }
}
