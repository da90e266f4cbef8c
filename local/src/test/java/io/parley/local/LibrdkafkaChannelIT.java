package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.serde.AvroSerde;
import io.parley.topics.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, on the wire: channels written with Confluent's Python client (librdkafka, Debian's
 * python3-confluent-kafka) and its Schema Registry client, on 6 partitions. With librdkafka's
 * default partitioner (CRC32, not Java's murmur2) and half of the keys registry-framed Avro
 * strings, every message gets its answer and every notification reaches the conversation; the
 * Python channel of docs/channels.md runs as printed; a conversation written by a Python and a Java producer
 * lands on two partitions and is reported.
 */
class LibrdkafkaChannelIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** Run from the module folder, as Maven does. */
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path SCHEMAS = REPOSITORY.resolve("schemas/src/main/avro");
    private static final int PARTITIONS = 6;
    private static final int CONVERSATIONS = 24;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path temp;

    private static LocalStack stack;
    private static LocalParley parley;

    @BeforeAll
    static void startLocalMode() throws Exception {
        requirePythonClient();
        stack = LocalStack.start(new LocalSettings(temp.resolve(".parley"), false, PARTITIONS, 0, 0, Duration.ZERO,
                TopicNames.defaults(), "console", "chat.replies.console"));
        parley = LocalParley.start(stack, ServiceSettings.ephemeral());
    }

    @AfterAll
    static void stopLocalMode() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPythonChannelWithLibrdkafkaDefaultsGetsEveryAnswerAndEveryNotification() throws Exception {
        // When the Python channel sends its messages (its client's defaults, half of the keys Avro strings)
        python("librdkafka_channel.py", List.of(stack.bootstrapServers(), stack.registryUrl(), SCHEMAS.toString(),
                "events", Integer.toString(CONVERSATIONS), "py-conv"), Map.of());

        // Then every conversation gets the order's answer (none the "taking longer" fallback)
        Map<String, List<ChatReply>> replies = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer();
             AvroSerde<ChatReply> serde = AvroSerde.of(ChatReply.class, stack.serdeConfig(), false)) {
            consumer.subscribe(List.of("chat.replies"));
            await().atMost(TIMEOUT).until(() -> {
                read(consumer, serde, replies);
                return answered(replies, "py-conv-").size() == CONVERSATIONS;
            });
            assertThat(replies.values().stream().flatMap(List::stream).map(ChatReply::getKind))
                    .doesNotContain(ReplyKind.FALLBACK, ReplyKind.ERROR);

            // And notifications for the user, keyed by user id, reach the conversation the user was last seen in
            python("librdkafka_channel.py", List.of(stack.bootstrapServers(), stack.registryUrl(), SCHEMAS.toString(),
                    "notifications", "3", "py-note"), Map.of());
            await().atMost(TIMEOUT).until(() -> {
                read(consumer, serde, replies);
                return notifications(replies).size() == 3;
            });
        }
    }

    @Test
    void theChannelGuidesPythonChannelRunsAsPrintedAndPartitionsLikeJava() throws Exception {
        // Given the Python block of the "Writing a channel" section of docs/channels.md, as printed
        String channel = channelGuidePython();

        // When it runs against local mode
        String printed = pythonSource(channel, Map.of("PARLEY_BOOTSTRAP", stack.bootstrapServers(),
                "PARLEY_REGISTRY", stack.registryUrl(), "PARLEY_SCHEMAS", SCHEMAS.toString()));

        // Then it prints the answer to its message
        Matcher sent = Pattern.compile("sent (\\S+)").matcher(printed);
        assertThat(sent.find()).as("the channel printed its conversation id:%n%s", printed).isTrue();
        assertThat(printed).contains("ANSWER Order 1001 is SHIPPED");
        // And its event is on the partition Java's client picks for the conversation id (murmur2_random works)
        String conversation = sent.group(1);
        assertThat(chatEventPartition(conversation)).isEqualTo(javaPartition(conversation));
    }

    @Test
    void aConversationWrittenByAPythonAndAJavaProducerIsReportedOnce() throws Exception {
        // Given a conversation id that librdkafka's default and Java's partitioner put on different partitions
        String prefix;
        do {
            prefix = "mixed-" + UUID.randomUUID().toString().substring(0, 8);
        } while (crc32Partition(prefix + "-000") == javaPartition(prefix + "-000"));
        String conversation = prefix + "-000";
        ListAppender<ILoggingEvent> warnings = captureWarnings("io.parley.processor.topology");
        try {
            // When the Python channel (its defaults) and a Java web channel write to it, one after the other
            python("librdkafka_channel.py", List.of(stack.bootstrapServers(), stack.registryUrl(), SCHEMAS.toString(),
                    "events", "1", prefix), Map.of());
            // (its answer means the processor has taken its event, so the Java events come after it)
            awaitAnswer(conversation);
            sendFromJava(conversation, "web");
            sendFromJava(conversation, "web");

            // Then the moves are counted on the processor's /metrics, and reported by one WARN naming the fix
            await().atMost(TIMEOUT).until(() -> partitionMoves() >= 1);
            assertThat(warnings.list).filteredOn(e -> e.getFormattedMessage().contains("different partitions"))
                    .singleElement().satisfies(warning -> assertThat(warning.getFormattedMessage())
                            .contains("partition " + crc32Partition(conversation) + " (channel 'python')")
                            .contains("partition " + javaPartition(conversation) + " (channel 'web')")
                            .contains("murmur2_random")
                            .doesNotContain(conversation));
        } finally {
            ((Logger) LoggerFactory.getLogger("io.parley.processor.topology")).detachAppender(warnings);
        }
    }

    /** Fails, naming the packages, when the Python client is missing: CI installs it, so a skip would hide a gap. */
    private static void requirePythonClient() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            throw new IllegalStateException(PYTHON + " is missing: install python3, python3-confluent-kafka, python3-avro"
                    + " and python3-requests (.ci/run does)");
        }
        Process check = new ProcessBuilder(PYTHON.toString(), "-c",
                "import confluent_kafka, confluent_kafka.schema_registry, avro.io, requests")
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
            throw new IllegalStateException("Python's Kafka client is not usable (install python3-confluent-kafka, python3-avro"
                    + " and python3-requests; .ci/run does): " + output.strip());
        }
    }

    /** The first Python block of the "Writing a channel" section of docs/channels.md. */
    private static String channelGuidePython() throws IOException {
        String guide = Files.readString(REPOSITORY.resolve("docs/channels.md"), StandardCharsets.UTF_8);
        int section = guide.indexOf("\n## Writing a channel\n");
        assertThat(section).as("docs/channels.md has a 'Writing a channel' section").isNotNegative();
        int start = guide.indexOf("```python\n", section);
        int nextSection = guide.indexOf("\n## ", section + 1);
        assertThat(start).as("a Python block in 'Writing a channel'").isBetween(section, nextSection);
        start += "```python\n".length();
        return guide.substring(start, guide.indexOf("```\n", start));
    }

    private static int javaPartition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** librdkafka's consistent_random for a non-empty key: CRC32 of the key bytes. */
    private static int crc32Partition(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % PARTITIONS);
    }

    /** The partition of chat.events holding the conversation's first event, or -1. */
    private static int chatEventPartition(String conversation) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("chat.events"));
            // The record is there (it was answered); the time is for a new group's join on a loaded machine.
            long until = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (conversation.equals(record.key())) {
                        return record.partition();
                    }
                }
            }
            return -1;
        }
    }

    private static void awaitAnswer(String conversation) {
        Map<String, List<ChatReply>> replies = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer();
             AvroSerde<ChatReply> serde = AvroSerde.of(ChatReply.class, stack.serdeConfig(), false)) {
            consumer.subscribe(List.of("chat.replies"));
            await().atMost(TIMEOUT).until(() -> {
                read(consumer, serde, replies);
                return answered(replies, conversation).contains(conversation);
            });
        }
    }

    private static void sendFromJava(String conversation, String channel) throws Exception {
        ChatEvent event = ChatEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setConversationId(conversation)
                .setUserId("alice").setChannel(channel).setType(ChatEventType.MESSAGE).setText("hello")
                .setOccurredAt(Instant.now()).build();
        try (AvroSerde<ChatEvent> values = AvroSerde.of(ChatEvent.class, stack.serdeConfig(), false);
             KafkaProducer<String, ChatEvent> producer = new KafkaProducer<>(
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                     new StringSerializer(), values.serializer())) {
            producer.send(new ProducerRecord<>("chat.events", conversation, event)).get();
        }
    }

    private static double partitionMoves() throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(parley.processor().adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith("parley_conversation_partition_moves_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static ListAppender<ILoggingEvent> captureWarnings(String loggerName) {
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        ListAppender<ILoggingEvent> appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                    super.append(event);
                }
            }
        };
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    private static Set<String> answered(Map<String, List<ChatReply>> replies, String prefix) {
        return replies.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .filter(e -> e.getValue().stream().anyMatch(r -> r.getKind() == ReplyKind.ANSWER
                        && r.getText().startsWith("Order 1001 is SHIPPED")))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private static List<ChatReply> notifications(Map<String, List<ChatReply>> replies) {
        return replies.values().stream().flatMap(List::stream).filter(r -> r.getKind() == ReplyKind.NOTIFICATION).toList();
    }

    private static void read(KafkaConsumer<String, byte[]> consumer, AvroSerde<ChatReply> serde, Map<String, List<ChatReply>> into) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            ChatReply reply = serde.deserializer().deserialize(record.topic(), record.value());
            into.computeIfAbsent(reply.getConversationId(), c -> new ArrayList<>()).add(reply);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "librdkafka-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Runs the channel script kept under /python/ with the arguments; it must exit 0. */
    private static String python(String resource, List<String> arguments, Map<String, String> environment) throws Exception {
        Path file = temp.resolve(resource);
        try (InputStream in = LibrdkafkaChannelIT.class.getResourceAsStream("/python/" + resource)) {
            Files.write(file, in.readAllBytes());
        }
        return run(file, arguments, environment);
    }

    /** Runs Python source as printed; it must exit 0. */
    private static String pythonSource(String source, Map<String, String> environment) throws Exception {
        return run(Files.writeString(temp.resolve("readme_channel.py"), source), List.of(), environment);
    }

    /** Runs a Python file and returns what it printed; fails with that output unless it exits 0 in time. */
    private static String run(Path file, List<String> arguments, Map<String, String> environment) throws Exception {
        Path output = temp.resolve(file.getFileName() + "-" + UUID.randomUUID() + ".out");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), file.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished = process.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String printed = readQuietly(output);
        assertThat(finished).as("the Python channel finished; it printed:%n%s", printed).isTrue();
        assertThat(process.exitValue()).as("the Python channel's exit code; it printed:%n%s", printed).isZero();
        return printed;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
