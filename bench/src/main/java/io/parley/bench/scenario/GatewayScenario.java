package io.parley.bench.scenario;

import io.parley.bench.kafka.ScenarioTopics;
import io.parley.bench.load.LatencySummary;
import io.parley.bench.load.NanoTimer;
import io.parley.bench.pipeline.ChildJvmGateway;
import io.parley.bench.pipeline.PipelineFactory;
import io.parley.bench.pipeline.PipelineUnavailableException;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.pipeline.ProcessorPlacement;
import io.parley.bench.report.Figures;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.PhaseSummary;
import io.parley.bench.report.ScenarioResult;
import io.parley.bench.report.Target;
import io.parley.bench.websocket.ClientFleet;
import io.parley.bench.websocket.ClientsProcess;
import io.parley.bench.websocket.GatewayLatencies;
import io.parley.bench.websocket.GcPauses;
import io.parley.bench.websocket.MessageTimes;
import io.parley.bench.websocket.RecordTimes;
import io.parley.bench.websocket.ResidentSampler;
import io.parley.bench.websocket.WebSocketFleet;
import io.parley.topics.Topics;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S7: the web chat gateway under many WebSocket conversations. The gateway runs in a JVM of its
 * own (its resident set is its own) in front of the real processor (and worker, idle: the turn is
 * the greeting, which needs no backend call) on the bench's broker. The bench opens
 * {@link GatewayLoad#connections()} WebSocket connections, one user with its own signed token each,
 * at a bounded rate; then each sends a message every {@link GatewayLoad#interval()}, for one interval
 * of warm-up and the measured window. See {@link GatewayLatencies} for how the gateway's added
 * latency is told apart from the pipeline's.
 */
public final class GatewayScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayScenario.class);
    static final ProcessingGuarantee GUARANTEE = ProcessingGuarantee.AT_LEAST_ONCE;
    static final Duration TOKEN_LIFETIME = Duration.ofHours(2);
    /** Connection i is this user with this number. */
    static final String USER_PREFIX = "bench-user-";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** Every connection open, nothing sent: the gateway's idle cost of its connections is read over it. */
    static final Duration SETTLE = Duration.ofSeconds(5);
    /** The longest the drain waits for a pipeline that keeps answering. */
    static final Duration MAX_DRAIN = Duration.ofMinutes(5);
    /**
     * The processor's own JVM: its allocations and GC pauses stay out of the bench JVM, whose
     * threads time the clients (see the docs: whatever delays the clients counts as the gateway's).
     */
    static final String PROCESSOR_HEAP = "512m";

    private final PipelineFactory factory;
    private final GatewayLoad load;

    public GatewayScenario(PipelineFactory factory, GatewayLoad load) {
        this.factory = factory;
        this.load = load;
    }

    @Override
    public String id() {
        return "S7";
    }

    @Override
    public String title() {
        return "web chat gateway: " + Figures.count(load.connections()) + " WebSocket conversations, its added latency and RSS";
    }

    @Override
    public Map<String, Object> configuration(ScenarioContext context) {
        Map<String, Object> configuration = new LinkedHashMap<>(load.describe());
        configuration.put("partitions", context.settings().partitions());
        if (load.responder() == GatewayLoad.Responder.ECHO) {
            configuration.put("pipeline", "none: an echo consumer in the bench JVM answers each message at once");
        } else {
            configuration.put("pipeline", factory.description() + "; the processor in a JVM of its own, -Xmx" + PROCESSOR_HEAP);
            configuration.put("processing.guarantee", GUARANTEE.configValue());
            configuration.put("turn", "\"" + PipelineRun.SESSION_TEXT + "\": the greeting, no backend call");
        }
        configuration.put("timestamps", "chat events CreateTime (the gateway's producer), replies LogAppendTime (the broker)");
        return configuration;
    }

    @Override
    public List<Measurement> planned(ScenarioContext context) {
        return lines(null);
    }

    /** Everything measured, for the report lines. */
    record Figures7(WebSocketFleet.ConnectOutcome connect, WebSocketFleet.Incidents incidents, int openAtEnd,
                    GatewayLatencies measured, long lostOverall, long sentOverall, OptionalLong rssIdle,
                    OptionalLong rssConnected, OptionalLong rssSteady, OptionalLong rssWindowEnd, OptionalLong rssPeak,
                    long maxHeapBytes,
                    OptionalDouble gatewayCpuPerMessageMillis, OptionalDouble gatewayCpuShare,
                    OptionalDouble gatewayIdleCpuShare, double benchGcMillis, long benchGcCount,
                    double loadAverage, Optional<GcPauses.Summary> clientGc, OptionalDouble clientCpuShare) {
    }

    private List<Measurement> lines(Figures7 f) {
        List<Measurement> lines = new ArrayList<>();
        Optional<GatewayLatencies> m = Optional.ofNullable(f).map(Figures7::measured);
        lines.add(Outcomes.line("connections.established", "connections established", "connections",
                f == null ? OptionalDouble.empty() : OptionalDouble.of(f.connect().established()), Optional.empty()));
        lines.add(Outcomes.line("connections.failed", "connections failed", "connections",
                f == null ? OptionalDouble.empty() : OptionalDouble.of(f.connect().failed()), Optional.of(Target.atMost(0))));
        lines.add(Outcomes.line("connections.dropped", "connections dropped by the gateway during the run", "connections",
                f == null ? OptionalDouble.empty() : OptionalDouble.of(f.incidents().dropped()), Optional.of(Target.atMost(0))));
        lines.add(Outcomes.line("connect.seconds", "time to open every connection", "s",
                f == null ? OptionalDouble.empty() : OptionalDouble.of(f.connect().seconds()), Optional.empty()));
        lines.add(Outcomes.line("messages.sent", "messages sent (warm-up and window)", "messages",
                f == null ? OptionalDouble.empty() : OptionalDouble.of(f.sentOverall()), Optional.empty()));
        lines.add(Outcomes.line("messages.lost", "messages without a reply (warm-up and window)", "messages",
                f == null ? OptionalDouble.empty() : OptionalDouble.of(f.lostOverall()), Optional.of(Target.atMost(0))));
        lines.add(Outcomes.line("throughput.mean", "replies/s, mean over the window", "replies/s",
                value(m.flatMap(GatewayLatencies::meanRepliesPerSecond)), Optional.empty()));
        lines.add(Outcomes.line("throughput.min", "replies/s, slowest second of the window", "replies/s",
                value(m.flatMap(GatewayLatencies::minRepliesPerSecond)), Optional.empty()));
        lines.add(Outcomes.line("throughput.max", "replies/s, busiest second of the window", "replies/s",
                value(m.flatMap(GatewayLatencies::maxRepliesPerSecond)), Optional.empty()));
        latencyLines(lines, "endToEnd", "end to end (client send → reply received)", m.flatMap(GatewayLatencies::endToEnd),
                Optional.empty());
        latencyLines(lines, "pipeline", "pipeline (event record → reply record)", m.flatMap(GatewayLatencies::pipeline),
                Optional.empty());
        latencyLines(lines, "added", "added by the gateway (end to end − pipeline)", m.flatMap(GatewayLatencies::added),
                Optional.of(Targets.S7_GATEWAY_ADDED_P99));
        latencyLines(lines, "inbound", "gateway inbound leg (client send → event record)", m.flatMap(GatewayLatencies::inbound),
                Optional.empty());
        latencyLines(lines, "outbound", "gateway outbound leg (reply record → reply received)",
                m.flatMap(GatewayLatencies::outbound), Optional.empty());
        latencyLines(lines, "ack", "ack round trip (client send → ack: event in Kafka)", m.flatMap(GatewayLatencies::ack),
                Optional.empty());
        lines.add(Outcomes.line("rss.idle", "gateway RSS, started, no connection", "MB", mb(f, Figures7::rssIdle), Optional.empty()));
        lines.add(Outcomes.line("rss.connected", "gateway RSS, every connection open, before sending", "MB",
                mb(f, Figures7::rssConnected), Optional.empty()));
        lines.add(Outcomes.line("rss.steady", "gateway RSS, steady (median over the window)", "MB", mb(f, Figures7::rssSteady),
                Optional.empty()));
        lines.add(Outcomes.line("rss.windowEnd", "gateway RSS, end of the window", "MB", mb(f, Figures7::rssWindowEnd),
                Optional.empty()));
        lines.add(Outcomes.line("rss.peak", "gateway RSS, peak", "MB", mb(f, Figures7::rssPeak), Optional.empty()));
        lines.add(Outcomes.line("rss.perConnection", "gateway RSS per open connection (connected − idle)", "KB",
                f == null || f.rssIdle().isEmpty() || f.rssConnected().isEmpty() || f.connect().established() == 0
                        ? OptionalDouble.empty()
                        : OptionalDouble.of((f.rssConnected().getAsLong() - f.rssIdle().getAsLong()) / 1024.0
                                / f.connect().established()),
                Optional.empty()));
        lines.add(Outcomes.line("cpu.perMessage", "gateway CPU per message in the window (all its threads)", "ms",
                f == null ? OptionalDouble.empty() : f.gatewayCpuPerMessageMillis(), Optional.empty()));
        lines.add(Outcomes.line("cpu.share", "gateway CPU in the window, share of one core", "%",
                f == null ? OptionalDouble.empty() : f.gatewayCpuShare(), Optional.empty()));
        lines.add(Outcomes.line("cpu.idleShare", "gateway CPU with every connection open and no message, share of one core", "%",
                f == null ? OptionalDouble.empty() : f.gatewayIdleCpuShare(), Optional.empty()));
        String bench = load.clients().placement() == GatewayLoad.Clients.Placement.IN_PROCESS
                ? "bench JVM (clients, broker)" : "bench JVM (broker; the clients are in the ws-clients JVM)";
        lines.add(Outcomes.line("bench.gcMillis", bench + " GC time in the window", "ms",
                f == null ? OptionalDouble.empty() : OptionalDouble.of(f.benchGcMillis()), Optional.empty()));
        lines.add(Outcomes.line("bench.gcCount", bench + " collections in the window", "collections",
                f == null ? OptionalDouble.empty() : OptionalDouble.of(f.benchGcCount()), Optional.empty()));
        if (load.clients().placement() == GatewayLoad.Clients.Placement.PROCESS) {
            Optional<GcPauses.Summary> gc = Optional.ofNullable(f).flatMap(Figures7::clientGc);
            lines.add(Outcomes.line("clients.gcPauseMillis", "ws-clients JVM GC pause time in the window", "ms",
                    value(gc.map(GcPauses.Summary::totalMillis)), Optional.empty()));
            lines.add(Outcomes.line("clients.gcPauses", "ws-clients JVM GC pauses in the window", "pauses",
                    value(gc.map(GcPauses.Summary::count)), Optional.empty()));
            lines.add(Outcomes.line("clients.gcLongestPause", "ws-clients JVM longest GC pause in the window", "ms",
                    value(gc.map(GcPauses.Summary::longestMillis)), Optional.empty()));
            lines.add(Outcomes.line("clients.cpuShare", "ws-clients JVM CPU in the window, share of one core", "%",
                    f == null ? OptionalDouble.empty() : f.clientCpuShare(), Optional.empty()));
        }
        lines.add(Outcomes.line("machine.loadAverage", "machine load average (1 min) at the end of the window", "",
                f == null ? OptionalDouble.empty() : OptionalDouble.of(f.loadAverage()), Optional.empty()));
        lines.add(Outcomes.line("maxHeap", "gateway max heap", "MB",
                f == null ? OptionalDouble.empty() : OptionalDouble.of(Figures.mebibytes(f.maxHeapBytes())), Optional.empty()));
        return lines;
    }

    private static void latencyLines(List<Measurement> lines, String key, String label, Optional<LatencySummary> latency,
                                     Optional<Target> p99Target) {
        lines.add(Outcomes.line(key + ".p50", label + " p50", "ms", value(latency, LatencySummary::p50), Optional.empty()));
        lines.add(Outcomes.line(key + ".p99", label + " p99", "ms", value(latency, LatencySummary::p99), p99Target));
        lines.add(Outcomes.line(key + ".max", label + " max", "ms", value(latency, LatencySummary::max), Optional.empty()));
    }

    private static OptionalDouble value(Optional<LatencySummary> latency, ToDoubleFunction<LatencySummary> field) {
        return latency.map(l -> OptionalDouble.of(field.applyAsDouble(l))).orElse(OptionalDouble.empty());
    }

    private static OptionalDouble value(Optional<? extends Number> number) {
        return number.map(n -> OptionalDouble.of(n.doubleValue())).orElse(OptionalDouble.empty());
    }

    private static OptionalDouble mb(Figures7 f, Function<Figures7, OptionalLong> field) {
        if (f == null || field.apply(f).isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Figures.mebibytes(field.apply(f).getAsLong()));
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        Map<String, Object> configuration = new LinkedHashMap<>(configuration(context));
        Figures7 figures;
        List<PhaseSummary> phases = new ArrayList<>();
        try (Answering run = startAnswering(context)) {
            run.settings().forEach((k, v) -> configuration.put("pipeline." + k, v));
            Topics topics = run.topics().topics();
            // The reply's timestamp must be the broker's, not the one Kafka Streams carries over from the event.
            context.kafka().setTopicConfig(topics.defaultReplies().name(), "message.timestamp.type", "LogAppendTime");
            ChildJvmGateway.Settings gatewaySettings = new ChildJvmGateway.Settings(PipelineRun.CHANNEL,
                    topics.defaultReplies().name(), context.kafka().clientConfig(), context.serdeConfig(), run.topics().names(),
                    load.gatewayHeap(), context.newDirectory(id().toLowerCase(Locale.ROOT) + "-gateway"));
            try (ChildJvmGateway gateway = ChildJvmGateway.start(gatewaySettings, context.clock());
                 ResidentSampler rss = new ResidentSampler(gateway::residentBytes, context.timer(), Duration.ofSeconds(1)).start();
                 RecordTimes records = new RecordTimes(context.kafka().clientConfig(), topics.chatEvents(), topics.defaultReplies());
                 ClientFleet fleet = startClients(context, gateway)) {
                gateway.describe().forEach(configuration::put);
                fleet.describe().forEach(configuration::put);
                records.start();
                figures = drive(context, gateway, rss, records, fleet, phases);
                if (!gateway.isAlive()) {
                    return ScenarioResult.failed(id(), title(), "the gateway JVM died; the end of its log:\n" + gateway.logTail(),
                            configuration, phases, lines(figures));
                }
                if (fleet instanceof ClientsProcess clients && !clients.isAlive()) {
                    return ScenarioResult.failed(id(), title(), "the ws-clients JVM died; the end of its log:\n" + clients.logTail(),
                            configuration, phases, lines(figures));
                }
            }
        } catch (PipelineUnavailableException e) {
            return ScenarioResult.skipped(id(), title(), e.getMessage(), configuration(context), planned(context));
        }
        List<String> failures = new ArrayList<>();
        if (figures.connect().failed() > 0) {
            failures.add(figures.connect().failed() + " connections failed " + figures.connect().failures());
        }
        if (figures.lostOverall() > 0) {
            failures.add(figures.lostOverall() + " of " + figures.sentOverall() + " messages got no reply");
        }
        if (figures.measured().withoutTimestamps() > 0) {
            failures.add(figures.measured().withoutTimestamps() + " answered messages without their event or reply record");
        }
        if (!failures.isEmpty()) {
            return ScenarioResult.failed(id(), title(), String.join("; ", failures), configuration, phases, lines(figures));
        }
        return ScenarioResult.completed(id(), title(), configuration, phases, lines(figures));
    }

    /** The WebSocket clients, where the load puts them; each user's token is signed with the gateway's secret. */
    private ClientFleet startClients(ScenarioContext context, ChildJvmGateway gateway) throws Exception {
        GatewayLoad.Clients clients = load.clients();
        if (clients.placement() == GatewayLoad.Clients.Placement.IN_PROCESS) {
            return new WebSocketFleet(gateway.chatUri(), i -> gateway.token(USER_PREFIX + i, TOKEN_LIFETIME), context.timer(),
                    context.clock());
        }
        return ClientsProcess.start(new ClientsProcess.Settings(clients.java(), clients.jvmOptions(), gateway.chatUri(),
                gateway.tokenAudience(), gateway.tokenSecret(), TOKEN_LIFETIME,
                context.newDirectory(id().toLowerCase(Locale.ROOT) + "-clients")));
    }

    /** What answers the gateway's chat events for the run, and the topics it answers on. */
    private interface Answering extends AutoCloseable {
        ScenarioTopics topics();

        Map<String, Object> settings();

        @Override
        void close();
    }

    private Answering startAnswering(ScenarioContext context) throws Exception {
        if (load.responder() == GatewayLoad.Responder.ECHO) {
            ScenarioTopics topics = context.topicsFor(id());
            context.kafka().createTopics(context.settings().partitions(), topics.all());
            EchoResponder echo = EchoResponder.start(context.kafka().clientConfig(), topics.topics().chatEvents(),
                    topics.topics().defaultReplies());
            return new Answering() {
                @Override
                public ScenarioTopics topics() {
                    return topics;
                }

                @Override
                public Map<String, Object> settings() {
                    return Map.of();
                }

                @Override
                public void close() {
                    try {
                        echo.close();
                    } finally {
                        context.kafka().deleteTopics(topics.all());
                    }
                }
            };
        }
        PipelineRun.Request request = new PipelineRun.Request(GUARANTEE, GUARANTEE.defaultCommitInterval(), Duration.ZERO,
                Duration.ofSeconds(10), OptionalInt.empty(), ProcessorPlacement.CHILD_JVM, Optional.of(PROCESSOR_HEAP));
        PipelineRun run = PipelineRun.start(context, id(), factory, request);
        return new Answering() {
            @Override
            public ScenarioTopics topics() {
                return run.topics();
            }

            @Override
            public Map<String, Object> settings() {
                return run.pipeline().effectiveSettings();
            }

            @Override
            public void close() {
                run.close();
            }
        };
    }

    private Figures7 drive(ScenarioContext context, ChildJvmGateway gateway, ResidentSampler rss, RecordTimes records,
                           ClientFleet fleet, List<PhaseSummary> phases) throws Exception {
        NanoTimer timer = context.timer();
        long idleAt = timer.nanoTime();
        long idleRss = rss.sample();
        WebSocketFleet.ConnectOutcome connect = fleet.connect(load.connections(), load.connectRate(), load.handshakesInFlight(),
                READY_TIMEOUT);
        LOG.info("S7: {} of {} connections established in {} s; failures {}", connect.established(), connect.attempted(),
                Figures.number(connect.seconds()), connect.failures());
        Optional<Duration> idleCpuBefore = gateway.cpuTime();
        sleep(SETTLE);
        Optional<Duration> idleCpuAfter = gateway.cpuTime();
        long connectedRss = rss.sample();
        OptionalDouble idleCpuShare = idleCpuBefore.isPresent() && idleCpuAfter.isPresent()
                ? OptionalDouble.of(100.0 * idleCpuAfter.get().minus(idleCpuBefore.get()).toNanos() / SETTLE.toNanos())
                : OptionalDouble.empty();

        // The window on the bench's clock, for the readings taken in the bench (CPU, GC, load average).
        long start = timer.nanoTime();
        WindowWatch watch = new WindowWatch(gateway, fleet, timer, start + load.interval().toNanos(),
                start + load.interval().toNanos() + load.duration().toNanos());
        watch.start();
        ClientFleet.Sending sending = fleet.send(load.interval(), PipelineRun.SESSION_TEXT, load.interval().plus(load.duration()));
        LOG.info("S7: {} messages sent; draining", sending.sent());
        // A pipeline that fell behind still answers: wait while replies come, give up after a quiet drain period.
        long drainUntil = timer.nanoTime() + load.drain().toNanos();
        long drainLimit = timer.nanoTime() + MAX_DRAIN.toNanos();
        long outstanding = fleet.outstanding();
        while (outstanding > 0 && timer.nanoTime() < drainUntil && timer.nanoTime() < drainLimit) {
            sleep(Duration.ofMillis(500));
            long now = fleet.outstanding();
            if (now < outstanding) {
                drainUntil = timer.nanoTime() + load.drain().toNanos();
            }
            outstanding = now;
        }
        long drainedAt = timer.nanoTime();
        watch.join();
        records.awaitCaughtUp(Duration.ofSeconds(60));
        if (records.unusable() > 0) {
            throw new IllegalStateException(records.unusable() + " chat event or reply records were unreadable or had an"
                    + " unexpected timestamp type; the pipeline figures would be wrong");
        }
        // The messages' own window, on the clients' clock (the ws-clients JVM's, or the bench's in-process).
        long sendFrom = sending.startNanos();
        long measureFrom = sendFrom + load.interval().toNanos();
        long measureTo = measureFrom + load.duration().toNanos();
        ClientFleet.Collected collected = fleet.collect(measureFrom, measureTo);
        List<MessageTimes> times = collected.times();
        Map<String, Long> created = records.eventCreated();
        Map<String, Long> appended = records.replyAppended();
        GatewayLatencies measured = GatewayLatencies.of(times, created, appended, measureFrom, measureTo);
        GatewayLatencies warmUp = GatewayLatencies.of(times, created, appended, sendFrom, measureFrom);
        // Every message, including those the sender's timer let slip past the window's end.
        long lastSent = times.stream().mapToLong(MessageTimes::sentNanos).max().orElse(sendFrom);
        GatewayLatencies overall = GatewayLatencies.of(times, created, appended, sendFrom, lastSent + 1);
        phases.add(phase("S7.warmUp", warmUp, load.interval().toNanos() / 1e9));
        phases.add(phase("S7.window", measured, (drainedAt - start - load.interval().toNanos()) / 1e9));
        OptionalDouble cpuPerMessage = watch.gatewayCpuMillis().isPresent() && measured.sent() > 0
                ? OptionalDouble.of(watch.gatewayCpuMillis().getAsDouble() / measured.sent()) : OptionalDouble.empty();
        OptionalDouble cpuShare = watch.gatewayCpuMillis().isPresent()
                ? OptionalDouble.of(100.0 * watch.gatewayCpuMillis().getAsDouble() / load.duration().toMillis())
                : OptionalDouble.empty();
        OptionalDouble clientCpuShare = watch.clientCpuMillis().isPresent()
                ? OptionalDouble.of(100.0 * watch.clientCpuMillis().getAsDouble() / load.duration().toMillis())
                : OptionalDouble.empty();
        long benchFrom = start + load.interval().toNanos();
        long benchTo = benchFrom + load.duration().toNanos();
        return new Figures7(connect, collected.incidents(), collected.open(), measured, overall.lost(), overall.sent(),
                OptionalLong.of(idleRss), OptionalLong.of(connectedRss), rss.median(benchFrom, benchTo), rss.last(benchTo), rss.peak(),
                gateway.maxHeapBytes(), cpuPerMessage, cpuShare, idleCpuShare, watch.benchGcMillis(), watch.benchGcCount(),
                watch.loadAverage(), collected.clientGc(), clientCpuShare);
    }

    /**
     * Readings at the start and the end of the measured window, taken on a thread of their own so
     * the sender keeps its pace: the gateway's CPU time, the bench JVM's GC time, the load average.
     */
    private static final class WindowWatch extends Thread {
        private final ChildJvmGateway gateway;
        private final ClientFleet clients;
        private final NanoTimer timer;
        private final long from;
        private final long to;
        private volatile OptionalDouble gatewayCpuMillis = OptionalDouble.empty();
        private volatile OptionalDouble clientCpuMillis = OptionalDouble.empty();
        private volatile double benchGcMillis;
        private volatile long benchGcCount;
        private volatile double loadAverage;

        WindowWatch(ChildJvmGateway gateway, ClientFleet clients, NanoTimer timer, long from, long to) {
            super("bench-s7-window");
            setDaemon(true);
            this.gateway = gateway;
            this.clients = clients;
            this.timer = timer;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            timer.parkUntil(from);
            Optional<Duration> cpuBefore = gateway.cpuTime();
            Optional<Duration> clientCpuBefore = clients.cpuTime();
            long gcBefore = gcMillis();
            long gcCountBefore = gcCount();
            timer.parkUntil(to);
            Optional<Duration> cpuAfter = gateway.cpuTime();
            Optional<Duration> clientCpuAfter = clients.cpuTime();
            if (clientCpuBefore.isPresent() && clientCpuAfter.isPresent()) {
                clientCpuMillis = OptionalDouble.of(clientCpuAfter.get().minus(clientCpuBefore.get()).toNanos() / 1e6);
            }
            benchGcMillis = gcMillis() - gcBefore;
            benchGcCount = gcCount() - gcCountBefore;
            if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
                gatewayCpuMillis = OptionalDouble.of(cpuAfter.get().minus(cpuBefore.get()).toNanos() / 1e6);
            }
            loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }

        private static long gcMillis() {
            long total = 0;
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                total += Math.max(0, gc.getCollectionTime());
            }
            return total;
        }

        private static long gcCount() {
            long total = 0;
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                total += Math.max(0, gc.getCollectionCount());
            }
            return total;
        }

        long benchGcCount() {
            return benchGcCount;
        }

        OptionalDouble gatewayCpuMillis() {
            return gatewayCpuMillis;
        }

        OptionalDouble clientCpuMillis() {
            return clientCpuMillis;
        }

        double benchGcMillis() {
            return benchGcMillis;
        }

        double loadAverage() {
            return loadAverage;
        }
    }

    private PhaseSummary phase(String name, GatewayLatencies figures, double seconds) {
        Map<String, Long> other = figures.refused() > 0 ? Map.of("refused", figures.refused()) : Map.of();
        return new PhaseSummary(name, OptionalDouble.of(load.offeredPerSecond()), figures.sent(), 0,
                figures.replied(), other, 0, figures.lost(), seconds, OptionalDouble.empty());
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /** The load this scenario offers. */
    GatewayLoad load() {
        return load;
    }
}
