package io.parley.bench.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bench's side of the ws-clients process ({@link WsClientsMain}): starts it with the given
 * {@code java} and JVM options on the bench's class path, sends it one command at a time and waits
 * for the answer. The per-message times come back in a file of the work folder. Its log (standard
 * error) goes to {@code ws-clients.log} there.
 */
public final class ClientsProcess implements ClientFleet {

    private static final Logger LOG = LoggerFactory.getLogger(ClientsProcess.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_LINES_ON_FAILURE = 30;
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?(\\d+)");

    /**
     * How the ws-clients process is started.
     *
     * @param java the {@code java} launcher
     * @param jvmOptions options before the class path ({@link #defaultJvmOptions} and any given on top)
     * @param uri the gateway's chat WebSocket
     * @param audience the audience of the users' tokens
     * @param tokenSecret the gateway's HS256 secret, to sign the users' tokens with (handed over in the environment)
     * @param tokenLifetime lifetime of each token
     * @param workDirectory where the log and the times file go
     */
    public record Settings(Path java, List<String> jvmOptions, URI uri, String audience, String tokenSecret,
                           Duration tokenLifetime, Path workDirectory) {
        public Settings {
            Objects.requireNonNull(java, "java");
            jvmOptions = List.copyOf(jvmOptions);
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(tokenSecret, "tokenSecret");
            Objects.requireNonNull(tokenLifetime, "tokenLifetime");
            Objects.requireNonNull(workDirectory, "workDirectory");
        }

        @Override
        public String toString() {
            return "Settings[java=" + java + ", jvmOptions=" + jvmOptions + ", uri=" + uri + ", tokenSecret=(hidden)]";
        }
    }

    private final Settings settings;
    private final Process process;
    private final PrintStream commands;
    private final BlockingQueue<JsonNode> answers;
    private final Path log;
    private final String javaVersion;
    private final String collectors;

    private ClientsProcess(Settings settings, Process process, Path log, JsonNode started, BlockingQueue<JsonNode> answers) {
        this.settings = settings;
        this.answers = answers;
        this.process = process;
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.log = log;
        this.javaVersion = started.path("java").asText("?");
        this.collectors = started.path("gc").asText("?");
    }

    /**
     * The low-pause collector for a load generator: ZGC, generational where the JVM has both modes
     * (21 and 22 need {@code -XX:+ZGenerational}; from 23 on it is the default, from 24 the only one).
     */
    public static List<String> defaultJvmOptions(Path java, String heap) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseZGC"));
        OptionalInt feature = featureVersion(java);
        if (feature.isPresent() && feature.getAsInt() >= 21 && feature.getAsInt() <= 22) {
            options.add("-XX:+ZGenerational");
        }
        return options;
    }

    /** The Java feature version of a {@code java} launcher, from its installation's {@code release} file. */
    static OptionalInt featureVersion(Path java) {
        Path home = java.toAbsolutePath().getParent() == null ? null : java.toAbsolutePath().getParent().getParent();
        if (home == null || !Files.isReadable(home.resolve("release"))) {
            return OptionalInt.empty();
        }
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(home.resolve("release"), StandardCharsets.UTF_8));
            return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Starts the process and returns once it says it is ready for commands. */
    public static ClientsProcess start(Settings settings) throws InterruptedException {
        if (!Files.isExecutable(settings.java())) {
            throw new IllegalArgumentException("--ws-clients-java: " + settings.java() + " is not an executable java launcher");
        }
        List<String> command = new ArrayList<>();
        command.add(settings.java().toString());
        command.addAll(settings.jvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WsClientsMain.class.getName());
        command.add("--uri");
        command.add(settings.uri().toString());
        command.add("--audience");
        command.add(settings.audience());
        command.add("--token-lifetime");
        command.add(settings.tokenLifetime().toString());
        Path log = settings.workDirectory().resolve("ws-clients.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().put(WsClientsMain.TOKEN_SECRET_VARIABLE, settings.tokenSecret());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the ws-clients JVM with " + settings.java() + ": " + e.getMessage(), e);
        }
        LOG.info("ws-clients JVM {} started with {} {}; log {}", process.pid(), settings.java(), settings.jvmOptions(), log);
        BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readAnswers(process, answers), "bench-ws-clients-answers");
        reader.setDaemon(true);
        reader.start();
        try {
            JsonNode started = await(process, answers, "started", START_TIMEOUT, log);
            return new ClientsProcess(settings, process, log, started, answers);
        } catch (InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static void readAnswers(Process process, BlockingQueue<JsonNode> answers) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(WsClientsMain.ANSWER)) {
                    answers.add(JSON.readTree(line.substring(WsClientsMain.ANSWER.length())));
                } else if (!line.isBlank()) {
                    LOG.info("ws-clients: {}", line);
                }
            }
        } catch (IOException e) {
            LOG.debug("Reading the ws-clients answers ended: {}", e.toString());
        }
    }

    private static JsonNode await(Process process, BlockingQueue<JsonNode> answers, String type, Duration timeout, Path log)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode answer = answers.poll(250, TimeUnit.MILLISECONDS);
            if (answer == null) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The ws-clients JVM exited with status " + process.exitValue()
                            + " before it answered '" + type + "'; the end of its log " + log + ":\n" + tail(log));
                }
                continue;
            }
            String got = answer.path("type").asText();
            if (got.equals(type)) {
                return answer;
            }
            if (got.equals("error")) {
                throw new IllegalStateException("The ws-clients JVM failed: " + answer.path("message").asText());
            }
            LOG.warn("ws-clients: unexpected answer {} while waiting for '{}'", got, type);
        }
        throw new IllegalStateException("The ws-clients JVM did not answer '" + type + "' within " + timeout
                + "; the end of its log " + log + ":\n" + tail(log));
    }

    private JsonNode ask(String command, String answer, Duration timeout) throws InterruptedException {
        commands.println(command);
        if (commands.checkError()) {
            throw new IllegalStateException("The ws-clients JVM no longer takes commands; the end of its log " + log + ":\n" + tail(log));
        }
        return await(process, answers, answer, timeout, log);
    }

    @Override
    public WebSocketFleet.ConnectOutcome connect(int count, double perSecond, int inFlight, Duration readyTimeout)
            throws InterruptedException {
        // Opening takes count ÷ perSecond plus the last handshakes.
        Duration timeout = Duration.ofMillis((long) (count * 1000.0 / perSecond)).plus(readyTimeout).plus(ANSWER_TIMEOUT);
        JsonNode connected = ask("connect " + count + " " + perSecond + " " + inFlight + " " + readyTimeout.toMillis(),
                "connected", timeout);
        Map<String, Integer> failures = new TreeMap<>();
        connected.path("failures").properties().forEach(f -> failures.put(f.getKey(), f.getValue().asInt()));
        return new WebSocketFleet.ConnectOutcome(connected.path("attempted").asInt(), connected.path("established").asInt(), failures,
                connected.path("seconds").asDouble());
    }

    @Override
    public Sending send(Duration interval, String text, Duration length) throws InterruptedException {
        if (text.contains("\n")) {
            throw new IllegalArgumentException("The ws-clients process sends one-line texts only");
        }
        JsonNode sent = ask("send " + interval.toNanos() + " " + length.toNanos() + " " + text, "sent", length.plus(ANSWER_TIMEOUT));
        return new Sending(sent.path("startNanos").asLong(), sent.path("sent").asLong());
    }

    @Override
    public long outstanding() throws InterruptedException {
        return ask("outstanding", "outstanding", ANSWER_TIMEOUT).path("count").asLong();
    }

    @Override
    public Collected collect(long windowFromNanos, long windowToNanos) throws Exception {
        Path file = settings.workDirectory().resolve("ws-clients-times.bin");
        JsonNode collected = ask("collect " + windowFromNanos + " " + windowToNanos + " " + file, "collected", ANSWER_TIMEOUT);
        List<MessageTimes> times;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int version = in.readInt();
            if (version != MessageLog.FILE_VERSION) {
                throw new IllegalStateException("The ws-clients times file " + file + " has version " + version + ", not "
                        + MessageLog.FILE_VERSION);
            }
            times = MessageLog.readAll(in, in.readLong());
        } finally {
            Files.deleteIfExists(file);
        }
        JsonNode i = collected.path("incidents");
        Map<String, Long> refused = new TreeMap<>();
        i.path("refused").properties().forEach(f -> refused.put(f.getKey(), f.getValue().asLong()));
        WebSocketFleet.Incidents incidents = new WebSocketFleet.Incidents(i.path("dropped").asLong(), i.path("sendFailed").asLong(),
                i.path("duplicateReplies").asLong(), i.path("unmatchedFrames").asLong(), refused);
        JsonNode gc = collected.path("gc");
        GcPauses.Summary pauses = new GcPauses.Summary(gc.path("count").asLong(), gc.path("totalMillis").asLong(),
                gc.path("longestMillis").asLong(), gc.path("collectors").asText());
        return new Collected(times, incidents, collected.path("open").asInt(), Optional.of(pauses), Optional.of(process.pid()));
    }

    @Override
    public Optional<Duration> cpuTime() {
        return process.toHandle().info().totalCpuDuration();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("clients.placement", "ws-clients process: a JVM of its own (io.parley.bench.websocket.WsClientsMain)");
        description.put("clients.java", settings.java() + " (Java " + javaVersion + ")");
        description.put("clients.jvmOptions", String.join(" ", settings.jvmOptions()));
        description.put("clients.gcPauseBeans", collectors);
        description.put("clients.client", "Jetty 12 WebSocket client, frames read as bytes with a reused streaming reader (LeanConnection)");
        return description;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The end of the process's log, for a failure message. */
    public String logTail() {
        return tail(log);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** {@code close}: the process closes its connections and exits; killed when it has not within 30 s. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                commands.println("close");
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("The ws-clients JVM {} did not stop within {}; killing it", process.pid(), STOP_TIMEOUT);
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            commands.close();
        }
    }
}
