package io.parley.bench;

import io.parley.bench.kafka.BenchKafka;
import io.parley.bench.load.LoadSettings;
import io.parley.bench.load.NanoTimer;
import io.parley.bench.pipeline.ParleyPipelineFactory;
import io.parley.bench.pipeline.PipelineFactory;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.report.BenchReport;
import io.parley.bench.report.MachineInfo;
import io.parley.bench.report.MarkdownReport;
import io.parley.bench.report.ResultFiles;
import io.parley.bench.report.ScenarioResult;
import io.parley.bench.scenario.BenchRunner;
import io.parley.bench.scenario.BenchSettings;
import io.parley.bench.scenario.FullPipelineScenario;
import io.parley.bench.scenario.GatewayLoad;
import io.parley.bench.scenario.GatewayScenario;
import io.parley.bench.scenario.PassThroughScenario;
import io.parley.bench.scenario.Scenario;
import io.parley.bench.scenario.ScenarioContext;
import io.parley.bench.scenario.SlowBackendScenario;
import io.parley.bench.scenario.FailoverScenario;
import io.parley.bench.scenario.ScalingScenario;
import io.parley.bench.scenario.StateScaleScenario;
import io.parley.bench.scenario.SynchronousBaselineScenario;
import io.parley.bench.scenario.TelemetryLoad;
import io.parley.bench.scenario.TelemetryScenario;
import io.parley.runtime.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The bench command: starts (or connects to) Kafka, runs the scenarios back to back, prints the
 * markdown report and writes the same figures as JSON under the results folder.
 *
 * <p>Exit status 0 when every selected scenario completed or could not run in this build, 2 when
 * one failed, 1 on a usage error. Missed targets do not change the status: a benchmark reports.
 */
@Command(name = "parley-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures Parley end to end: throughput, latency and memory against baselines, in one run.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of starting an embedded broker in the bench JVM.")
    String bootstrap;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "A client setting for --bootstrap (TLS, SASL, ...), given to every client the bench creates.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--broker-property", paramLabel = "KEY=VALUE",
            description = "A setting of the embedded broker (without --bootstrap), e.g. one an operator would set on theirs.")
    Map<String, String> brokerProperties = new LinkedHashMap<>();

    @Option(names = "--quick", description = "A smoke run with small counts; its figures are not for comparison.")
    boolean quick;

    @Option(names = "--scenarios", split = ",", paramLabel = "ID",
            description = "Scenarios to run, in order (default: S1 to S7 and S9; S8 only when named): ${COMPLETION-CANDIDATES}.")
    List<ScenarioId> scenarios = new ArrayList<>(ScenarioId.defaults());

    @Option(names = "--results-dir", paramLabel = "DIR", description = "Where the JSON results go (default: ${DEFAULT-VALUE}).")
    Path resultsDirectory = Path.of("bench", "results");

    @Option(names = "--messages", paramLabel = "N", description = "Turns of a maximum-rate phase of S2 (S1 sends five times, S3 a fifth).")
    Integer messages;

    @Option(names = "--baseline-messages", paramLabel = "N", description = "Turns of the synchronous baseline S4.")
    Integer baselineMessages;

    @Option(names = "--rate-duration", paramLabel = "DURATION", description = "Length of each fixed-rate phase, e.g. 30s.")
    String rateDuration;

    @Option(names = "--sessions", paramLabel = "N", description = "Live sessions of S5.")
    Integer sessions;

    @Option(names = "--ws-connections", paramLabel = "N", description = "WebSocket connections of S7 (full: 10,000).")
    Integer wsConnections;

    @Option(names = "--ws-interval", paramLabel = "DURATION",
            description = "S7: each connection sends a message this often (full: 10s, so 1,000 messages/s at 10,000 connections).")
    String wsInterval;

    @Option(names = "--ws-duration", paramLabel = "DURATION", description = "S7: the measured window, after one interval of warm-up.")
    String wsDuration;

    @Option(names = "--ws-responder", paramLabel = "PARLEY|ECHO", converter = ResponderConverter.class,
            description = "S7: what answers behind the gateway: parley (the processor and worker, default) or echo "
                    + "(a consumer that answers each message at once, to measure the gateway alone).")
    GatewayLoad.Responder wsResponder;

    @Option(names = "--gateway-heap", paramLabel = "SIZE", description = "S7: the gateway JVM's -Xmx (default 512m).")
    String gatewayHeap;

    @Option(names = "--ws-clients", paramLabel = "PROCESS|IN-PROCESS", converter = ClientPlacementConverter.class,
            description = "S7: where the WebSocket clients run: process (a ws-clients JVM of their own, default) or in-process "
                    + "(the bench JVM beside the broker, the method before the ws-clients process).")
    GatewayLoad.Clients.Placement wsClients;

    @Option(names = "--ws-clients-java", paramLabel = "PATH",
            description = "S7: the java launcher of the ws-clients JVM (default: the bench's own), e.g. "
                    + "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java for generational ZGC.")
    Path wsClientsJava;

    @Option(names = "--ws-clients-heap", paramLabel = "SIZE", description = "S7: the ws-clients JVM's -Xmx (default 1g).")
    String wsClientsHeap;

    @Option(names = "--ws-clients-jvm-option", paramLabel = "OPTION",
            description = "S7: a further option of the ws-clients JVM, after -Xmx and -XX:+UseZGC (repeatable).")
    List<String> wsClientsJvmOptions = new ArrayList<>();

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of each scenario topic.")
    Integer partitions;

    @Option(names = "--stream-threads", paramLabel = "N",
            description = "Stream threads of every streams application (default 1, the processor's; S8: one per core, at most one per partition).")
    Integer streamThreads;

    @Option(names = "--s8-events", paramLabel = "N",
            description = "S8: measurements per phase (default 2,000,000; --quick 40,000), e.g. 500000 for a shorter profile.")
    Integer s8Events;

    @Option(names = "--max-in-flight", paramLabel = "N", description = "Unanswered turns at most in maximum-rate phases.")
    Integer maxInFlight;

    @Option(names = "--stall-timeout", paramLabel = "DURATION", description = "Give a phase up after this long without a reply.")
    String stallTimeout;

    @Option(names = "--keep-work-dir",
            description = "Keep the work folder (the child JVMs' logs, state directories) instead of removing it at the end.")
    boolean keepWorkDirectory;

    @Option(names = "--s6-cases", split = ",", paramLabel = "CASE",
            description = "S6: only these cases (restart.before, restart, restart.classdata, takeover.standby0, takeover.standby1, rolling, rolling.leave, rolling.classdata).")
    Set<String> s6Cases = new LinkedHashSet<>();

    @Option(names = "--s6-processor-property", paramLabel = "KEY=VALUE",
            description = "S6: a setting added to every processor's kafka: section, e.g. transaction.timeout.ms=5000.")
    Map<String, String> s6ProcessorProperties = new LinkedHashMap<>();

    @Option(names = "--s6-processor-jvm-option", paramLabel = "OPTION",
            description = "S6: a JVM option every processor starts with (repeat for more), e.g. -XX:SharedArchiveFile=processor.jsa.")
    List<String> s6ProcessorJvmOptions = new ArrayList<>();

    @Option(names = "--s6-sessions", paramLabel = "N",
            description = "S6: live sessions seeded before the conversations (default 10,000; --quick 1,000), e.g. 100000.")
    Integer s6Sessions;

    @Option(names = "--s9-instances", split = ",", paramLabel = "N",
            description = "S9: the processor instance counts to measure, in order (default 1,2,3; at most the 12 partitions).")
    List<Integer> s9Instances = new ArrayList<>();

    @Option(names = "--s2-guarantees", split = ",", paramLabel = "GUARANTEE", converter = GuaranteeConverter.class,
            description = "S2: the processing guarantees to run, in order (default at_least_once,exactly_once_v2); "
                    + "e.g. exactly_once_v2,at_least_once to see what running first costs.")
    List<ProcessingGuarantee> s2Guarantees = new ArrayList<>(List.of(ProcessingGuarantee.AT_LEAST_ONCE, ProcessingGuarantee.EXACTLY_ONCE_V2));

    @Option(names = "--s6-group-protocol", paramLabel = "PROTOCOL",
            description = "S6: the processors' membership.protocol, classic (default) or streams (KIP-1071).")
    String s6GroupProtocol = "classic";

    @Option(names = "--s6-after-recovery", paramLabel = "DURATION",
            description = "S6: how long each case goes on after the stopped instance's conversations answered again "
                    + "(default 30s), e.g. 120s to see tasks handed back at a probing rebalance.")
    String s6AfterRecovery;

    @Option(names = "--warm-up", paramLabel = "FRACTION", description = "Share of each phase left out of its figures, e.g. 0.1.")
    Double warmUpFraction;

    /** Scenario selectors; S2 selects both processing guarantees, S8 (telemetry) runs only when named, S9 (scaling) last by default. */
    enum ScenarioId {
        S1, S2, S3, S4, S5, S6, S7, S8, S9;

        static List<ScenarioId> defaults() {
            return java.util.Arrays.stream(values()).filter(id -> id != S8).toList();
        }
    }

    private final PipelineFactory pipelineFactory;
    private final String[] arguments;

    BenchMain(PipelineFactory pipelineFactory, String[] arguments) {
        this.pipelineFactory = pipelineFactory;
        this.arguments = arguments.clone();
    }

    public static void main(String[] args) {
        ChildProcessReaper.killChildrenOnExit();
        System.exit(commandLine(new BenchMain(new ParleyPipelineFactory(), args)).execute(args));
    }

    /** The command line as {@link #main} runs it: a usage error exits with 1 (2 means a scenario failed). */
    static CommandLine commandLine(BenchMain main) {
        CommandLine commandLine = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.getCommandSpec().exitCodeOnInvalidInput(1);
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        BenchSettings settings = settings();
        // Checked before a broker starts: a mistake in the options costs nothing.
        List<Scenario> selected = selectedScenarios();
        Clock clock = Clock.systemUTC();
        String runId = Long.toString(clock.millis() / 1000, 36);
        Path workDirectory = Files.createTempDirectory("parley-bench-");
        MachineInfo machine = MachineInfo.current();
        BenchReport report;
        try (BenchKafka kafka = bootstrap == null
                ? BenchKafka.embedded(brokerProperties)
                : BenchKafka.external(bootstrap, new LinkedHashMap<>(kafkaProperties))) {
            ScenarioContext context = new ScenarioContext(runId, kafka, settings, clock, NanoTimer.system(), workDirectory);
            report = new BenchRunner(selected, clock).run(context, List.of(arguments), kafka.description(), machine);
        } finally {
            if (keepWorkDirectory) {
                System.err.println("Work folder kept: " + workDirectory);
            } else {
                deleteQuietly(workDirectory);
            }
        }
        PrintWriter out = new PrintWriter(System.out, true, java.nio.charset.StandardCharsets.UTF_8);
        out.println(MarkdownReport.render(report));
        ResultFiles.Written written = new ResultFiles(resultsDirectory).write(report);
        out.println("Results: " + written.timestamped() + " (also " + written.latest() + ")");
        boolean anyFailed = report.scenarios().stream().anyMatch(s -> s.status() == ScenarioResult.Status.FAILED);
        return anyFailed ? 2 : 0;
    }

    /** The preset with any option given on the command line on top. */
    BenchSettings settings() {
        BenchSettings preset = quick ? BenchSettings.quick() : BenchSettings.full();
        LoadSettings load = new LoadSettings(
                maxInFlight != null ? maxInFlight : preset.load().maxInFlight(),
                stallTimeout != null ? Durations.parse("--stall-timeout", stallTimeout) : preset.load().stallTimeout(),
                preset.load().highestLatency());
        return new BenchSettings(preset.mode(),
                partitions != null ? partitions : preset.partitions(),
                streamThreads != null ? streamThreads : preset.streamThreads(),
                messages != null ? messages : preset.messages(),
                baselineMessages != null ? baselineMessages : preset.baselineMessages(),
                rateDuration != null ? Durations.parse("--rate-duration", rateDuration) : preset.rateDuration(),
                sessions != null ? sessions : preset.sessions(),
                preset.dueDeadlines(),
                warmUpFraction != null ? warmUpFraction : preset.warmUpFraction(),
                load);
    }

    /** S7's load: the preset with any option given on the command line on top. */
    /** S8's load: the preset, {@code --s8-events} if given, the stream threads if given (else one per core). */
    TelemetryLoad telemetryLoad() {
        TelemetryLoad preset = quick ? TelemetryLoad.quick() : TelemetryLoad.full();
        return new TelemetryLoad(preset.devices(), s8Events != null ? s8Events : preset.events(), preset.probes(),
                streamThreads != null ? streamThreads : 0);
    }

    GatewayLoad gatewayLoad() {
        GatewayLoad load = quick ? GatewayLoad.quick() : GatewayLoad.full();
        if (wsConnections != null) {
            load = load.withConnections(wsConnections);
        }
        if (wsInterval != null) {
            load = load.withInterval(Durations.parse("--ws-interval", wsInterval));
        }
        if (wsDuration != null) {
            load = load.withDuration(Durations.parse("--ws-duration", wsDuration));
        }
        if (gatewayHeap != null) {
            load = load.withGatewayHeap(gatewayHeap);
        }
        if (wsResponder != null) {
            load = load.withResponder(wsResponder);
        }
        GatewayLoad.Clients clients = load.clients();
        if (wsClients != null) {
            clients = clients.withPlacement(wsClients);
        }
        if (wsClientsJava != null) {
            clients = clients.withJava(wsClientsJava);
        }
        if (wsClientsHeap != null) {
            clients = clients.withHeap(wsClientsHeap);
        }
        if (!wsClientsJvmOptions.isEmpty()) {
            clients = clients.withExtraJvmOptions(wsClientsJvmOptions);
        }
        return load.withClients(clients);
    }

    /** S2's guarantees in the order given; each at most once (a scenario's topics are named by run and guarantee). */
    private List<ProcessingGuarantee> s2Guarantees() {
        if (s2Guarantees.isEmpty() || s2Guarantees.stream().distinct().count() < s2Guarantees.size()) {
            throw new IllegalArgumentException("--s2-guarantees names each guarantee at most once and at least one: " + s2Guarantees);
        }
        return s2Guarantees;
    }

    /** The selected scenarios in the order given. */
    List<Scenario> selectedScenarios() {
        List<Scenario> selected = new ArrayList<>();
        if (scenarios.stream().distinct().count() < scenarios.size()) {
            // A scenario's topics and groups are named by run and scenario: a second run of one would find the first's.
            throw new IllegalArgumentException("--scenarios names a scenario twice: " + scenarios);
        }
        for (ScenarioId id : scenarios) {
            switch (id) {
                case S1 -> selected.add(new PassThroughScenario());
                case S2 -> s2Guarantees().forEach(guarantee -> selected.add(new FullPipelineScenario(guarantee, pipelineFactory)));
                case S3 -> selected.add(new SlowBackendScenario(pipelineFactory));
                case S4 -> selected.add(new SynchronousBaselineScenario());
                case S5 -> selected.add(new StateScaleScenario(pipelineFactory));
                case S6 -> selected.add(new FailoverScenario(s6Cases, s6ProcessorProperties,
                        s6Sessions == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(s6Sessions)).withGroupProtocol(s6GroupProtocol)
                        .withProcessorJvmOptions(s6ProcessorJvmOptions)
                        .withAfterRecovery(s6AfterRecovery == null ? FailoverScenario.AFTER_RECOVERY
                                : Durations.parse("--s6-after-recovery", s6AfterRecovery)));
                case S7 -> selected.add(new GatewayScenario(pipelineFactory, gatewayLoad()));
                case S8 -> selected.add(new TelemetryScenario(telemetryLoad()));
                case S9 -> selected.add(new ScalingScenario(s9Instances));
                default -> throw new IllegalStateException("Unknown scenario " + id.name().toLowerCase(Locale.ROOT));
            }
        }
        return selected;
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the bench work folder " + directory, e);
        }
    }

    /** {@code process} or {@code in-process}, in any case. */
    static final class ClientPlacementConverter implements CommandLine.ITypeConverter<GatewayLoad.Clients.Placement> {
        @Override
        public GatewayLoad.Clients.Placement convert(String value) {
            try {
                return GatewayLoad.Clients.Placement.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--ws-clients is process or in-process, not '" + value + "'");
            }
        }
    }

    /** {@code at_least_once} or {@code exactly_once_v2}, in any case. */
    static final class GuaranteeConverter implements CommandLine.ITypeConverter<ProcessingGuarantee> {
        @Override
        public ProcessingGuarantee convert(String value) {
            return java.util.Arrays.stream(ProcessingGuarantee.values())
                    .filter(guarantee -> guarantee.configValue().equals(value.trim().toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> new CommandLine.TypeConversionException(
                            "--s2-guarantees takes at_least_once and exactly_once_v2, not '" + value + "'"));
        }
    }

    /** {@code parley} or {@code echo}, in any case. */
    static final class ResponderConverter implements CommandLine.ITypeConverter<GatewayLoad.Responder> {
        @Override
        public GatewayLoad.Responder convert(String value) {
            try {
                return GatewayLoad.Responder.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--ws-responder is parley or echo, not '" + value + "'");
            }
        }
    }
}
