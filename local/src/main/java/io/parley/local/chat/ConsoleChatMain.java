package io.parley.local.chat;

import io.parley.local.LoggingSetup;
import io.parley.runtime.Durations;
import io.parley.topics.TopicNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The console chat on its own, against any Parley deployment (local mode, docker-compose, a
 * real cluster): {@code ConsoleChatMain --bootstrap-servers localhost:29092 --registry-url http://localhost:8081}.
 */
@Command(name = "parley-chat", mixinStandardHelpOptions = true,
        description = "Chat with Parley from the terminal: lines become chat events, replies are printed as they arrive.")
public final class ConsoleChatMain implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--registry-url", required = true, description = "Schema Registry URL (schema.registry.url).")
    String registryUrl;

    @Option(names = "--channel", defaultValue = ConsoleChatSettings.DEFAULT_CHANNEL,
            description = "Channel name on the events (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--reply-topic", description = "A reply topic to read (repeatable; default: <defaultReplies>.<channel> and <defaultReplies>).")
    List<String> replyTopics;

    @Option(names = "--user", defaultValue = ConsoleChatSettings.DEFAULT_USER_ID,
            description = "User id offered at the prompt, and used when the input is scripted (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--scripted", description = "Read lines and wait for each one's replies even on a terminal.")
    boolean scripted;

    @Option(names = "--reply-timeout", defaultValue = "30s", description = "Scripted mode: longest wait for a final reply (default: ${DEFAULT-VALUE}).")
    String replyTimeout;

    @Option(names = "--quiet-period", defaultValue = "2s",
            description = "Scripted mode: quiet time that settles events which may get no reply (default: ${DEFAULT-VALUE}).")
    String quietPeriod;

    @Option(names = "--topic", description = "Topic name override, e.g. chatEvents=my.chat.events (repeatable).")
    Map<String, String> topicNames = new LinkedHashMap<>();

    @Option(names = "--kafka-property", description = "Kafka client setting, e.g. security.protocol=SSL (repeatable).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--serde-property", description = "Serde setting, e.g. basic.auth.user.info=... (repeatable).")
    Map<String, String> serdeProperties = new LinkedHashMap<>();

    public static void main(String[] args) {
        LoggingSetup.use("parley-chat-logback.xml");
        System.exit(new CommandLine(new ConsoleChatMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        TopicNames topics = TopicNames.fromMap(topicNames);
        Map<String, Object> serde = new LinkedHashMap<>(serdeProperties);
        serde.put("schema.registry.url", registryUrl);
        ConsoleChatSettings settings = new ConsoleChatSettings(Map.of("bootstrap.servers", bootstrapServers), serde, topics,
                channel, replyTopics == null ? ConsoleChatSettings.routedAndDefault(topics, channel) : replyTopics, user,
                Durations.parse("--reply-timeout", replyTimeout), Durations.parse("--quiet-period", quietPeriod))
                .withKafka(kafkaProperties);
        return run(settings, scripted);
    }

    /**
     * Runs a console chat on the process's standard input and output: scripted when asked, or when
     * standard input or output is not a terminal.
     */
    public static int run(ConsoleChatSettings settings, boolean scripted) throws Exception {
        try (ConsoleChat chat = onTerminal(settings, scripted)) {
            return chat.run();
        }
    }

    /**
     * A console chat on the process's standard input and output, not yet running: scripted when
     * asked, or when standard input or output is not a terminal.
     */
    public static ConsoleChat onTerminal(ConsoleChatSettings settings, boolean scripted) {
        Charset charset = System.console() != null ? System.console().charset() : Charset.defaultCharset();
        ConsoleChat.Mode mode = scripted || System.console() == null ? ConsoleChat.Mode.SCRIPTED : ConsoleChat.Mode.INTERACTIVE;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, charset));
        PrintWriter out = new PrintWriter(System.out, true);
        return new ConsoleChat(settings, in, out, Clock.systemUTC(), mode);
    }
}
