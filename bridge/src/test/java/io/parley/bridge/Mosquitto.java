package io.parley.bridge;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian package {@code mosquitto}) on a free loopback port, with a
 * generated configuration and a password file made by {@code mosquitto_passwd}; anonymous clients
 * are refused.
 */
final class Mosquitto implements AutoCloseable {

    static final String USER = "parley-bridge";
    static final String PASSWORD = "bridge-password-for-tests";

    private final Process process;
    private final int port;

    private Mosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Mosquitto start(Path directory) {
        return start(directory, freePort());
    }

    /** A loopback port nobody listens on right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Mosquitto start(Path directory, int port) {
        try {
            Path passwords = directory.resolve("passwords");
            Process passwd = new ProcessBuilder("mosquitto_passwd", "-c", "-b", passwords.toString(), USER, PASSWORD)
                    .redirectErrorStream(true).start();
            if (!passwd.waitFor(30, TimeUnit.SECONDS) || passwd.exitValue() != 0) {
                throw new IllegalStateException("mosquitto_passwd failed: " + new String(passwd.getInputStream().readAllBytes()));
            }
            Path config = directory.resolve("mosquitto.conf");
            Files.writeString(config, """
                    listener %d 127.0.0.1
                    allow_anonymous false
                    password_file %s
                    persistence false
                    max_queued_messages 10000
                    max_inflight_messages 100
                    user %s
                    log_dest file %s
                    """.formatted(port, passwords, System.getProperty("user.name"), directory.resolve("mosquitto.log")));
            Process process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("mosquitto.out").toFile())
                    .start();
            Mosquitto broker = new Mosquitto(process, port);
            await("mosquitto listening on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("mosquitto exited: "
                                    + Files.readString(directory.resolve("mosquitto.out")));
                        }
                        return broker.accepting();
                    });
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
