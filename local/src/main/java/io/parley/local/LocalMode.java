package io.parley.local;

import io.parley.local.chat.ConsoleChatMain;
import io.parley.local.chat.ConsoleChatSettings;
import io.parley.runtime.Durations;
import io.parley.topics.TopicNames;
import io.parley.worker.http.JdkHttpClientProperties;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Parley's local mode, the embedded default ({@code ./parley}): one JVM with a real single-node
 * KRaft broker on 127.0.0.1, the topics, the schema registry, the demo shop (SQL database and
 * HTTP API), the processor, a connectors worker and a console chat. Standard input reaches the console chat, so a script can pipe
 * messages in ({@code echo "where is my order 1001" | ./parley}).
 */
@Command(name = "parley", mixinStandardHelpOptions = true,
        description = "Runs Parley locally in one JVM: Kafka, schema registry, demo shop, processor, worker and a console chat.")
public final class LocalMode implements Callable<Integer> {

    /** Scripted input: the longest wait for the final reply to a message. */
    static final Duration SCRIPTED_REPLY_TIMEOUT = Duration.ofSeconds(30);
    /** Scripted input: how long an event that may get no reply (session start, erase) is given. */
    static final Duration SCRIPTED_QUIET_PERIOD = Duration.ofSeconds(5);

    /** Classpath resource of local mode's logging setup: a log file, and only errors on the terminal. */
    static final String LOGGING_CONFIG = "parley-local-logback.xml";
    /** Classpath resource configuring Log4j 2, which the broker's jars bring along next to logback. */
    static final String LOG4J_CONFIG = "parley-local-log4j2.xml";
    /** The logger of what stopped local mode: to the log file only (see the logging setup). */
    static final String FAILURE_LOGGER = "io.parley.local.failures";
    /** Exit code when local mode could not start or failed while running. */
    static final int EXIT_FAILED = 1;

    private static final String LOG_FILE_PROPERTY = "parley.log.file";
    private static final String LOG4J_CONFIG_PROPERTY = "log4j2.configurationFile";

    @Option(names = {"--data-dir", "--data"}, defaultValue = ".parley",
            description = "Where data is kept between runs: broker, schemas, conversations, log (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--fresh", description = "Wipe the data folder first: topics, schemas and conversations start empty.")
    boolean fresh;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--registry-port", defaultValue = "8081",
            description = "Port of the schema registry on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--shop-port", defaultValue = "0", description = "Port of the demo shop API on 127.0.0.1; 0 picks a free one.")
    int shopPort;

    @Option(names = "--shop-latency", defaultValue = "0ms",
            description = "Latency the demo shop API adds to every answer, e.g. 3s: the still-working message shows, and a "
                    + "question asked meanwhile turns the earlier answer into a follow-up.")
    String shopLatency;

    @Option(names = "--redis-server", defaultValue = "/usr/bin/redis-server",
            description = "The redis-server binary of the demo preferences (favourite colour); when it is missing, those"
                    + " intents are not offered (default: ${DEFAULT-VALUE}).")
    Path redisServer;

    @Option(names = "--user", defaultValue = ConsoleChatSettings.DEFAULT_USER_ID,
            description = "User id of the console chat (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--channel", defaultValue = ConsoleChatSettings.DEFAULT_CHANNEL,
            description = "Channel name of the console chat (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--processor-admin-port", defaultValue = "" + ServiceSettings.DEFAULT_PROCESSOR_ADMIN_PORT,
            description = "Port of the processor's admin endpoint on 127.0.0.1; a free one when taken, 0 always picks one"
                    + " (default: ${DEFAULT-VALUE}).")
    int processorAdminPort;

    @Option(names = "--worker-admin-port", defaultValue = "" + ServiceSettings.DEFAULT_WORKER_ADMIN_PORT,
            description = "Port of the worker's admin endpoint on 127.0.0.1; a free one when taken, 0 always picks one"
                    + " (default: ${DEFAULT-VALUE}).")
    int workerAdminPort;

    @Option(names = "--gateway-port", defaultValue = "" + LocalGateway.DEFAULT_PORT,
            description = "Port of the web chat gateway on 127.0.0.1; a free one when taken, 0 always picks one"
                    + " (default: ${DEFAULT-VALUE}).")
    int gatewayPort;

    @Option(names = "--pseudonymize-audit",
            description = "Replace user ids in the audit stream by a keyed hash (key: $" + ServiceSettings.AUDIT_KEY_VARIABLE
                    + ", else one kept in the data folder).")
    boolean pseudonymizeAudit;

    @Option(names = "--scripted", description = "Read lines and wait for each one's replies even on a terminal.")
    boolean scripted;

    @Option(names = "--channels", description = "A gateway.yaml whose channels: list (Slack, Telegram, WhatsApp, Teams,"
            + " webhook channels) local mode serves too; their endpoints are listed at start.")
    Path channelsFile;

    @Option(names = "--topic", description = "Topic name override, e.g. chatEvents=my.chat.events (repeatable).")
    Map<String, String> topicNames = new LinkedHashMap<>();

    public static void main(String[] args) {
        // Before any HttpServer class loads (registry, shop API, admin endpoints): the JDK's server
        // leaves Nagle's algorithm on otherwise, adding ~40 ms to every small response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // Before any JDK HTTP client is used (the registry client of the processor starts first): the
        // worker's connectors need these to call the address their network guard checked.
        JdkHttpClientProperties.apply();
        CommandLine command = new CommandLine(new LocalMode());
        command.setExecutionStrategy(parsed -> {
            LocalMode mode = parsed.commandSpec().commandLine().getCommand();
            if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
                return new CommandLine.RunLast().execute(parsed);
            }
            // The log file lives in the data folder: wipe (--fresh) and claim the folder before
            // logging opens it, or the wipe would delete the open log.
            try {
                DataDirectory.prepare(mode.dataDirectory, mode.fresh);
            } catch (RuntimeException e) {
                parsed.commandSpec().commandLine().getErr().println("Parley local mode stopped: " + e.getMessage());
                return EXIT_FAILED;
            }
            mode.fresh = false;
            // Before anything logs: the broker alone would flood the terminal the chat runs in.
            configureLogging(mode.dataDirectory);
            return new CommandLine.RunLast().execute(parsed);
        });
        command.setExecutionExceptionHandler((failure, failed, parsed) -> {
            // One line on the terminal the user reads; the stack trace goes to the log file only.
            LoggerFactory.getLogger(FAILURE_LOGGER).error("Local mode stopped", failure);
            failed.getErr().println("Parley local mode stopped: " + failure.getMessage()
                    + System.lineSeparator() + "Details are in " + System.getProperty(LOG_FILE_PROPERTY));
            return EXIT_FAILED;
        });
        System.exit(command.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        TopicNames topics = TopicNames.fromMap(topicNames);
        String channelReplies = topics.defaultReplies() + "." + channel;
        LocalSettings settings = new LocalSettings(dataDirectory, fresh, partitions, registryPort, shopPort,
                Durations.parse("--shop-latency", shopLatency), topics, channel, channelReplies, redisServer)
                .withAdapters(channelsFile == null ? List.of() : adapters(channelsFile, channel));
        ServiceSettings services = new ServiceSettings(processorAdminPort, workerAdminPort, pseudonymizeAudit, System.getenv());
        PrintWriter out = new PrintWriter(System.out, true);
        // Ctrl-C closes in reverse order of start: console, worker, processor, shop, registry, broker.
        Runnable onSignal = () -> System.err.println(System.lineSeparator() + "Stopping Parley...");
        try (LocalModeShutdown shutdown = LocalModeShutdown.installed(onSignal)) {
            LocalStack stack = shutdown.add(LocalStack.start(settings));
            LocalParley parley = LocalParley.start(stack, services);
            LocalGateway gateway = stack.closeWithStack(LocalGateway.start(stack, gatewayPort,
                    parley.adminToken().value().reveal(), URI.create(parley.workerAdminUrl() + "/metrics"),
                    URI.create(parley.processorAdminUrl() + "/flows/graph.svg"), parley.auditKey()));
            LocalBanner.print(stack, parley, gateway, out);
            ConsoleChatSettings chat = ConsoleChatSettings.defaults(stack.bootstrapServers(), stack.registryUrl())
                    .withTopics(topics)
                    .withChannel(channel, List.of(channelReplies, topics.defaultReplies()))
                    .withDefaultUserId(user)
                    // The demo flows answer session starts (the greeting) and erasures; on a busy machine
                    // the greeting can take over 2 s, and a message sent before it supersedes it.
                    .withWaits(SCRIPTED_REPLY_TIMEOUT, SCRIPTED_QUIET_PERIOD);
            return shutdown.add(ConsoleChatMain.onTerminal(chat, scripted)).run();
        }
    }

    /** The channels: list of a gateway.yaml (bad configuration: one line naming file, entry and field). */
    static List<io.parley.gateway.channels.ChannelDefinition> adapters(Path file, String consoleChannel) {
        String yaml;
        try {
            yaml = java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        List<io.parley.gateway.channels.ChannelDefinition> channels = io.parley.gateway.GatewayConfig.parseChannels(
                file.toString(), yaml, LocalSettings.WEB_CHANNEL, io.parley.gateway.chat.ChatLimits.defaults().maxMessageChars());
        for (var c : channels) {
            if (c.name().equals(consoleChannel)) {
                throw new IllegalArgumentException(file + ": channels (" + c.name() + ").name: already the console chat's"
                        + " channel (--channel)");
            }
        }
        return channels;
    }

    private static void configureLogging(Path dataDirectory) {
        LoggingSetup.use(LOGGING_CONFIG);
        if (System.getProperty(LOG4J_CONFIG_PROPERTY) == null) {
            System.setProperty(LOG4J_CONFIG_PROPERTY, LOG4J_CONFIG);
        }
        if (System.getProperty(LOG_FILE_PROPERTY) == null) {
            System.setProperty(LOG_FILE_PROPERTY, dataDirectory.toAbsolutePath().normalize().resolve("parley.log").toString());
        }
    }
}
