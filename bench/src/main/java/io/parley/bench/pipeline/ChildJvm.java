package io.parley.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of Parley's programs in a JVM of its own, started as a user would start it
 * ({@code java -Xmx… <main> --config <file>}) with the bench's class path, its output in a log
 * file of the work folder. Ready when its {@code /health/ready} answers 200. Its resident set is
 * its own, read from {@code /proc/<pid>/status}.
 */
final class ChildJvm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration READY_POLL = Duration.ofMillis(250);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int LOG_LINES_ON_FAILURE = 30;

    private final String what;
    private final Process process;
    private final List<String> jvmOptions;
    private final Path log;

    private ChildJvm(String what, Process process, List<String> jvmOptions, Path log) {
        this.what = what;
        this.process = process;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.log = log;
    }

    /**
     * A free loopback port for a child's endpoint. Another process could take it before the child
     * binds it; the child then fails to start and says so, which is good enough here.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free loopback port for a child JVM", e);
        }
    }

    /**
     * RocksDB loads its native library through {@code System.loadLibrary}: Java 24 and later warn about that at every
     * start unless allowed (JEP 472), as the launchers allow it; Java 17 accepts the option and ignores it.
     */
    static final String ENABLE_NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /**
     * Starts {@code mainClass --config configFile} and returns once {@code readyUrl} answers 200.
     *
     * @param what the program, for messages ("processor", "gateway")
     * @param jvmOptions options before the class path, {@code -Xmx…} among them
     * @param environment variables added to the bench's own (secrets the configuration refers to)
     */
    static ChildJvm start(String what, String mainClass, Path configFile, List<String> jvmOptions,
                          Map<String, String> environment, URI readyUrl, Path log, Duration timeout)
            throws InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(ENABLE_NATIVE_ACCESS);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.add("--config");
        command.add(configFile.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a JVM for the " + what + ": " + e.getMessage(), e);
        }
        ChildJvm child = new ChildJvm(what, process, jvmOptions, log);
        LOG.info("{} JVM {} started with {}; log {}", what, process.pid(), jvmOptions, log);
        try {
            child.awaitReady(readyUrl, timeout);
            return child;
        } catch (InterruptedException | RuntimeException e) {
            child.close();
            throw e;
        }
    }

    private void awaitReady(URI readyUrl, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(readyUrl).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The " + what + " JVM exited with status " + process.exitValue()
                        + " before it was ready; the end of its log " + log + ":\n" + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // Not listening yet.
            } catch (IOException e) {
                LOG.debug("Asking the {} whether it is ready failed: {}", what, e.toString());
            }
            Thread.sleep(READY_POLL.toMillis());
        }
        throw new IllegalStateException("The " + what + " JVM was not ready within " + timeout + "; the end of its log "
                + log + ":\n" + logTail());
    }

    /** The last lines of the child's log, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    long pid() {
        return process.pid();
    }

    List<String> jvmOptions() {
        return jvmOptions;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The child's resident set now, from {@code /proc/<pid>/status}. */
    long residentBytes() {
        return ResidentSet.of(process.pid(), what);
    }

    /** SIGKILL, as a crash or an OOM kill would end it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM, on which Parley's programs close cleanly; killed when it has not stopped within a minute. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The {} JVM {} did not stop within {} of SIGTERM; killing it", what, process.pid(), STOP_TIMEOUT);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
