package io.parley.local.demo;

import io.parley.demo.DemoShopConnectors;
import io.parley.demo.DemoShopSql;
import io.parley.local.LocalSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo shop's customer preferences, kept in Redis: local mode starts {@code redis-server}
 * (Debian's package) on a free loopback port with a password of its own when the binary is
 * installed, and then offers the favourite-colour intents ({@value #FLOWS}) through the
 * {@code shop-prefs} connector ({@value #CONNECTORS}). Without the binary, or when it does not
 * start, local mode runs without them and its banner says why.
 *
 * <p>The password is new on every run and kept in an owner-only file in the data folder; the
 * connector reads it through the {@code directory} config provider, the way a deployment reads a
 * mounted secret. Redis saves to the data folder, so preferences outlive a restart.
 */
public final class DemoPreferences implements AutoCloseable {

    /** Where Debian's package installs the server. */
    public static final Path DEFAULT_BINARY = Path.of("/usr/bin/redis-server");
    /** The flows of the preference intents, on the processor's class path. */
    public static final String FLOWS = "flows/demo-shop-preferences.yaml";
    /** The {@code shop-prefs} connector template, with placeholders such as {@code @redisUrl@}. */
    public static final String CONNECTORS = "demo-shop/preferences-connectors.yaml";
    /** How the banner names this part of local mode. */
    public static final String BANNER_NAME = "Demo preferences (Redis)";

    private static final Logger LOG = LoggerFactory.getLogger(DemoPreferences.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final String PASSWORD_FILE = "password";

    private final Optional<Process> process;
    private final int port;
    private final Path directory;
    private final String status;

    private DemoPreferences(Optional<Process> process, int port, Path directory, String status) {
        this.process = process;
        this.port = port;
        this.directory = directory;
        this.status = status;
    }

    /**
     * Starts {@code binary} with its data in {@code directory}, or says why the preferences are not offered.
     *
     * @throws InterruptedException when interrupted while waiting for the server
     */
    public static DemoPreferences start(Path binary, Path directory) throws InterruptedException {
        if (!Files.isExecutable(binary)) {
            return unavailable(directory, binary + " is not installed (Debian: apt-get install redis-server)");
        }
        Process process = null;
        try {
            Files.createDirectories(directory);
            // A new random password each run (no environment variable: nothing but this run uses the server).
            String password = LocalSecret.perRun("", Map.of(), directory.resolve(PASSWORD_FILE)).value().reveal();
            int port = freePort();
            Path config = ownerOnly(directory.resolve("redis.conf"), String.join(System.lineSeparator(), List.of(
                    "port " + port,
                    "bind 127.0.0.1",
                    "protected-mode yes",
                    "requirepass " + password,
                    "dir " + directory.toAbsolutePath(),
                    "dbfilename preferences.rdb",
                    "save 60 1",
                    "appendonly no",
                    "daemonize no",
                    "loglevel warning",
                    "logfile " + directory.toAbsolutePath().resolve("redis.log"))) + System.lineSeparator());
            // The password is in the owner-only file, not on the command line where any local user could read it.
            process = new ProcessBuilder(binary.toString(), config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("redis-start.log").toFile()))
                    .start();
            if (!listening(process, port)) {
                stop(process);
                return unavailable(directory, "redis-server did not start (see " + directory.resolve("redis.log") + ")");
            }
            return new DemoPreferences(Optional.of(process), port, directory, "redis://127.0.0.1:" + port);
        } catch (IOException | UncheckedIOException e) {
            if (process != null) {
                stop(process);
            }
            LOG.warn("redis-server could not be started; the preference intents are not offered", e);
            return unavailable(directory, "redis-server could not be started (" + e.getMessage() + ")");
        }
    }

    private static DemoPreferences unavailable(Path directory, String reason) {
        LOG.info("The demo preferences are not offered: {}", reason);
        return new DemoPreferences(Optional.empty(), -1, directory, "not offered: " + reason);
    }

    /** Whether Redis runs and the preference intents are offered. */
    public boolean offered() {
        return process.isPresent();
    }

    /** {@code redis://127.0.0.1:port/0}; only when {@link #offered()}. */
    public String url() {
        requireOffered();
        return "redis://127.0.0.1:" + port + "/0";
    }

    public int port() {
        requireOffered();
        return port;
    }

    /** The file holding this run's password (owner-only). */
    public Path passwordFile() {
        return directory.resolve(PASSWORD_FILE);
    }

    /** The banner's line: the address, or why the intents are not offered. */
    public String status() {
        return status;
    }

    /** The flow files to add to the demo shop's: the preference intents, or none. */
    public List<String> flows() {
        return offered() ? List.of(FLOWS) : List.of();
    }

    /** The {@code shop-prefs} connector file for this run, or empty when Redis does not run. */
    public Optional<String> connectorYaml() {
        if (!offered()) {
            return Optional.empty();
        }
        return Optional.of(DemoShopConnectors.fill(DemoShopSql.read(CONNECTORS), Map.of(
                "redisUrl", url(),
                "redisPassword", "${directory:" + directory.toAbsolutePath() + ":" + PASSWORD_FILE + "}")));
    }

    /** Stops the server; Redis saves the preferences to the data folder as it stops. */
    @Override
    public void close() {
        process.ifPresent(DemoPreferences::stop);
    }

    private void requireOffered() {
        if (!offered()) {
            throw new IllegalStateException("The demo preferences are " + status);
        }
    }

    private static boolean listening(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                // Not listening yet.
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path ownerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        return file;
    }
}
