package io.parley.bench.websocket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.bench.load.NanoTimer;
import io.parley.gateway.auth.DemoTokens;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ws-clients process of bench scenario S7: the WebSocket clients in a JVM of their own, so
 * that their collections do not pause the broker in the bench JVM and the broker's do not pause
 * them. The bench starts it ({@link ClientsProcess}) and drives it with one command a line on
 * standard input; each answer is one JSON line on standard output, after {@link #ANSWER}. Its log
 * goes to standard error. It signs its users' tokens itself, with the HS256 secret the bench hands
 * over in {@value #TOKEN_SECRET_VARIABLE} (never on the command line). It ends on {@code close} or
 * when its standard input closes (the bench is gone).
 *
 * <pre>
 * connect COUNT PER_SECOND IN_FLIGHT READY_TIMEOUT_MS  → {"type":"connected","attempted":…,"established":…,"failures":{…},"seconds":…}
 * send INTERVAL_NS LENGTH_NS TEXT                      → {"type":"sent","startNanos":…,"sent":…}
 * outstanding                                          → {"type":"outstanding","count":…}
 * collect FROM_NS TO_NS FILE                           → {"type":"collected","messages":…,"open":…,"incidents":{…},"gc":{…}}
 * close                                                → {"type":"closed"}
 * </pre>
 * Monotonic readings are this JVM's {@link System#nanoTime()}; the window of {@code collect} is on that clock.
 */
@Command(name = "ws-clients", mixinStandardHelpOptions = true,
        description = "S7's WebSocket clients in a JVM of their own, driven by the bench over standard input.")
public final class WsClientsMain implements Callable<Integer> {

    static final String ANSWER = "@ws-clients ";
    static final String TOKEN_SECRET_VARIABLE = "PARLEY_BENCH_WS_TOKEN_SECRET";
    private static final Logger LOG = LoggerFactory.getLogger(WsClientsMain.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--uri", required = true, description = "The gateway's chat WebSocket, ws://host:port/chat/ws.")
    URI uri;

    @Option(names = "--audience", required = true, description = "The audience of the users' tokens.")
    String audience;

    @Option(names = "--token-lifetime", defaultValue = "PT2H", description = "Lifetime of each user's token (ISO-8601).")
    Duration tokenLifetime;

    @Option(names = "--user-prefix", defaultValue = "bench-user-", description = "Connection i is user PREFIXi.")
    String userPrefix;

    private final PrintStream answers;

    WsClientsMain(PrintStream answers) {
        this.answers = answers;
    }

    public static void main(String[] args) {
        // Standard output carries the answers only: anything else that writes to it goes to the log.
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int status = new CommandLine(new WsClientsMain(answers)).execute(args);
        System.exit(status);
    }

    @Override
    public Integer call() throws Exception {
        String secret = System.getenv(TOKEN_SECRET_VARIABLE);
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("ws-clients: the token secret is missing (environment variable " + TOKEN_SECRET_VARIABLE + ")");
        }
        Clock clock = Clock.systemUTC();
        DemoTokens tokens = new DemoTokens(secret.getBytes(StandardCharsets.UTF_8), audience, null, clock);
        NanoTimer timer = NanoTimer.system();
        try (GcPauses gc = GcPauses.record(System::nanoTime);
             LeanFleet fleet = new LeanFleet(uri, i -> tokens.sign(userPrefix + i, tokenLifetime), timer, clock)) {
            ObjectNode started = answer("started");
            started.put("pid", ProcessHandle.current().pid());
            started.put("java", Runtime.version().toString());
            started.put("gc", gc.between(Long.MIN_VALUE, Long.MAX_VALUE).collectors());
            say(started);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                try {
                    if (!command(line.strip(), fleet, gc)) {
                        say(answer("closed"));
                        return 0;
                    }
                } catch (Exception e) {
                    LOG.warn("ws-clients: '{}' failed", line.split(" ", 2)[0], e);
                    ObjectNode failed = answer("error");
                    failed.put("message", line.split(" ", 2)[0] + ": " + e);
                    say(failed);
                }
            }
            LOG.warn("ws-clients: standard input closed (the bench is gone); closing the connections");
            return 0;
        }
    }

    /** Runs one command line; false on {@code close}. */
    private boolean command(String line, LeanFleet fleet, GcPauses gc) throws Exception {
        String name = line.split(" ", 2)[0];
        switch (name) {
            case "connect" -> {
                String[] w = arguments(line, 5);
                WebSocketFleet.ConnectOutcome outcome = fleet.connect(Integer.parseInt(w[1]), Double.parseDouble(w[2]),
                        Integer.parseInt(w[3]), Duration.ofMillis(Long.parseLong(w[4])));
                ObjectNode connected = answer("connected");
                connected.put("attempted", outcome.attempted());
                connected.put("established", outcome.established());
                connected.put("seconds", outcome.seconds());
                outcome.failures().forEach(connected.putObject("failures")::put);
                say(connected);
            }
            case "send" -> {
                String[] w = arguments(line, 4);
                ClientFleet.Sending sending = fleet.send(Duration.ofNanos(Long.parseLong(w[1])), w[3],
                        Duration.ofNanos(Long.parseLong(w[2])));
                ObjectNode sent = answer("sent");
                sent.put("startNanos", sending.startNanos());
                sent.put("sent", sending.sent());
                say(sent);
            }
            case "outstanding" -> {
                ObjectNode outstanding = answer("outstanding");
                outstanding.put("count", fleet.outstanding());
                say(outstanding);
            }
            case "collect" -> {
                String[] w = arguments(line, 4);
                say(collect(fleet, gc, Long.parseLong(w[1]), Long.parseLong(w[2]), Path.of(w[3])));
            }
            case "close" -> {
                return false;
            }
            default -> throw new IllegalArgumentException("unknown command '" + name + "'");
        }
        return true;
    }

    /** The command's words; the last one takes the rest of the line (a text or a path may hold spaces). */
    private static String[] arguments(String line, int count) {
        String[] words = line.split(" ", count);
        if (words.length != count) {
            throw new IllegalArgumentException("'" + words[0] + "' takes " + (count - 1) + " arguments");
        }
        return words;
    }

    private static ObjectNode collect(LeanFleet fleet, GcPauses gc, long from, long to, Path file) throws Exception {
        List<MessageTimes> times = fleet.times();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(MessageLog.FILE_VERSION);
            out.writeLong(times.size());
            for (MessageTimes m : times) {
                MessageLog.write(out, m);
            }
        }
        ObjectNode collected = answer("collected");
        collected.put("messages", times.size());
        collected.put("open", fleet.open());
        WebSocketFleet.Incidents incidents = fleet.incidents();
        ObjectNode i = collected.putObject("incidents");
        i.put("dropped", incidents.dropped());
        i.put("sendFailed", incidents.sendFailed());
        i.put("duplicateReplies", incidents.duplicateReplies());
        i.put("unmatchedFrames", incidents.unmatchedFrames());
        incidents.refused().forEach(i.putObject("refused")::put);
        GcPauses.Summary pauses = gc.between(from, to);
        ObjectNode g = collected.putObject("gc");
        g.put("count", pauses.count());
        g.put("totalMillis", pauses.totalMillis());
        g.put("longestMillis", pauses.longestMillis());
        g.put("collectors", pauses.collectors());
        return collected;
    }

    private static ObjectNode answer(String type) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        return node;
    }

    private void say(ObjectNode node) throws Exception {
        answers.println(ANSWER + JSON.writeValueAsString(node));
    }
}
