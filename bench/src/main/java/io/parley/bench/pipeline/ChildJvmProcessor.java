package io.parley.bench.pipeline;

import io.parley.processor.ProcessorMain;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor in a JVM of its own, started as a user would start it
 * ({@code java -Xmx… io.parley.processor.ProcessorMain --config processor.yaml}) with the bench's
 * class path: the placement of the memory scenario, where the resident set must be the
 * processor's alone. Its output goes to a log file in the work folder.
 */
final class ChildJvmProcessor implements ProcessorProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvmProcessor.class);
    private static final Duration READY_POLL = Duration.ofMillis(250);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int LOG_LINES_ON_FAILURE = 30;

    private final Process process;
    private final String adminUrl;
    private final List<String> jvmOptions;
    private final long maxHeapBytes;
    private final Path log;

    private ChildJvmProcessor(Process process, String adminUrl, List<String> jvmOptions, long maxHeapBytes, Path log) {
        this.process = process;
        this.adminUrl = adminUrl;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.maxHeapBytes = maxHeapBytes;
        this.log = log;
    }

    /**
     * A free loopback port for the child's admin endpoint. Another process could take it before
     * the child binds it; the child then fails to start and says so, which is good enough here.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free loopback port for the processor's admin endpoint", e);
        }
    }

    /**
     * Starts the processor of {@code processorYaml} (whose admin endpoint listens on
     * {@code adminPort}) and returns once it reports ready, that is Kafka Streams is RUNNING.
     *
     * @param maxHeap the {@code -Xmx} value, as the JVM spells it ("512m")
     */
    static ChildJvmProcessor start(Path processorYaml, int adminPort, String maxHeap, Path log, Duration timeout)
            throws InterruptedException {
        List<String> jvmOptions = List.of("-Xmx" + maxHeap);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ProcessorMain.class.getName());
        command.add("--config");
        command.add(processorYaml.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a JVM for the processor: " + e.getMessage(), e);
        }
        ChildJvmProcessor child = new ChildJvmProcessor(process, "http://127.0.0.1:" + adminPort, jvmOptions,
                HeapSizes.parse(maxHeap), log);
        LOG.info("Processor JVM {} started with {}; log {}", process.pid(), jvmOptions, log);
        try {
            child.awaitReady(timeout);
            return child;
        } catch (InterruptedException | RuntimeException e) {
            child.close();
            throw e;
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(adminUrl + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The processor JVM exited with status " + process.exitValue()
                        + " before it was ready; the end of its log " + log + ":\n" + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // Not listening yet.
            } catch (IOException e) {
                LOG.debug("Asking the processor whether it is ready failed: {}", e.toString());
            }
            Thread.sleep(READY_POLL.toMillis());
        }
        throw new IllegalStateException("The processor JVM was not ready within " + timeout + "; the end of its log " + log
                + ":\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public String adminUrl() {
        return adminUrl;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public long maxHeapBytes() {
        return maxHeapBytes;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("processor.placement", "child JVM (processor alone)");
        description.put("processor.jvmOptions", String.join(" ", jvmOptions));
        return description;
    }

    /** SIGKILL, as a crash or an OOM kill would end it: no commit, no leaving the group. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, on which the processor closes cleanly; killed when it has not stopped within a minute. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The processor JVM {} did not stop within {} of SIGTERM; killing it", process.pid(), STOP_TIMEOUT);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
