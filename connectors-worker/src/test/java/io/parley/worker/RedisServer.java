package io.parley.worker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port with a password, in a
 * temporary folder, without persistence. It can be stopped and started again on the same port.
 */
final class RedisServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final int port;
    private final String password;
    private final Path directory;
    private Process process;

    private RedisServer(int port, String password, Path directory) {
        this.port = port;
        this.password = password;
        this.directory = directory;
    }

    static RedisServer start(String password) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's redis-server package (.ci/run does)");
        }
        RedisServer server = new RedisServer(freePort(), password, Files.createTempDirectory("redis"));
        server.startProcess();
        return server;
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** A client for the test's own checks and seeding. */
    Jedis client() {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().password(password).build());
    }

    void restart() throws IOException {
        stopProcess();
        startProcess();
    }

    private void startProcess() throws IOException {
        process = new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--requirepass", password, "--save", "", "--appendonly", "no", "--dir", directory.toString(),
                "--daemonize", "no", "--loglevel", "warning"))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("redis.log").toFile())
                .start();
        Awaitility.await("redis-server on port " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> {
                    try (Jedis jedis = client()) {
                        return "PONG".equals(jedis.ping());
                    }
                });
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() throws IOException {
        stopProcess();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
