package io.parley.e2e.env;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Parley main class ({@code ProcessorMain}, {@code WorkerMain}) running in its own JVM on this
 * test's classpath, as an operator would run it. {@link #kill()} is SIGKILL: no shutdown hook, no
 * commit, no goodbye to the group — a crash as honest as it gets.
 */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code main --config config}; its output goes to {@code <name>.log} next to the config. */
    public static ChildJvm start(String name, Class<?> main, Path config) {
        Path log = config.resolveSibling(name + ".log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Xmx384m",
                "-Dlogback.configurationFile=" + logbackConfig(),
                main.getName(), "--config", config.toString());
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildJvm(name, process, log);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + name + ": " + e.getMessage(), e);
        }
    }

    private static String logbackConfig() {
        URL resource = ChildJvm.class.getResource("/logback-child.xml");
        if (resource == null) {
            throw new IllegalStateException("logback-child.xml is missing from the test classpath");
        }
        try {
            return Path.of(resource.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("logback-child.xml is not a file: " + resource, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGSTOP: the process stops where it is, mid-transaction if it was in one, until
     * {@link #resume()} or {@link #kill()}. Lets a test look at what a crash at this instant would leave.
     */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + this + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not send SIG" + signal + " to " + this + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + this, e);
        }
    }

    /** SIGTERM, a clean stop, and waits until the process is gone. */
    public void stop() {
        process.destroy();
        awaitExit("SIGTERM", Duration.ofSeconds(60));
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit("SIGKILL", Duration.ofSeconds(30));
    }

    private void awaitExit(String signal, Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not end within " + atMost.toSeconds() + " s of " + signal);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name + " to end after " + signal, e);
        }
    }

    /** Where its output goes, to read when something went wrong. */
    public Path log() {
        return log;
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
