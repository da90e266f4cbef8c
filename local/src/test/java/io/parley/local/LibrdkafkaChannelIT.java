package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Notification;
import io.parley.schemas.ReplyKind;
import io.parley.serde.AvroSerde;
import io.parley.topics.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, on the wire: a channel written with Confluent's Python client (librdkafka, Debian's
 * python3-confluent-kafka) and its default partitioner, on 6 partitions, half of its keys
 * registry-framed Avro strings. Every message gets its answer and every notification reaches the
 * conversation, although librdkafka's CRC32 puts records on other partitions than Java's murmur2.
 */
class LibrdkafkaChannelIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int CONVERSATIONS = 24;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path temp;

    private static LocalStack stack;

    @BeforeAll
    static void startLocalMode() throws Exception {
        stack = LocalStack.start(new LocalSettings(temp.resolve(".parley"), false, 6, 0, 0, Duration.ZERO,
                TopicNames.defaults(), "console", "chat.replies.console"));
        LocalParley.start(stack, ServiceSettings.ephemeral());
    }

    @AfterAll
    static void stopLocalMode() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPythonChannelWithLibrdkafkaDefaultsGetsEveryAnswerAndEveryNotification() throws Exception {
        // Given the schemas registered (the channel's serializer would do it; python3-avro has no registry client)
        int eventSchema = register(ChatEvent.class, ChatEvent.newBuilder().setEventId("x").setConversationId("x")
                .setUserId("x").setChannel("x").setType(ChatEventType.MESSAGE).setOccurredAt(Instant.now()).build(), "chat.events");
        int noteSchema = register(Notification.class, Notification.newBuilder().setNotificationId("x").setUserId("x")
                .setCreatedAt(Instant.now()).build(), "notifications.requests");

        // When the Python channel sends its messages
        python("events", eventSchema, ChatEvent.getClassSchema().toString(), CONVERSATIONS);

        // Then every conversation gets the order's answer (none the "taking longer" fallback)
        Map<String, List<ChatReply>> replies = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = replyConsumer();
             AvroSerde<ChatReply> serde = AvroSerde.of(ChatReply.class, stack.serdeConfig(), false)) {
            consumer.subscribe(List.of("chat.replies"));
            await().atMost(TIMEOUT).until(() -> {
                read(consumer, serde, replies);
                return answered(replies).size() == CONVERSATIONS;
            });
            assertThat(replies.values().stream().flatMap(List::stream).map(ChatReply::getKind))
                    .doesNotContain(ReplyKind.FALLBACK, ReplyKind.ERROR);

            // And a notification for the user, keyed by user id, reaches the conversation the user was last seen in
            python("notifications", noteSchema, Notification.getClassSchema().toString(), 3);
            await().atMost(TIMEOUT).until(() -> {
                read(consumer, serde, replies);
                return notifications(replies).size() == 3;
            });
        }
    }

    private static Set<String> answered(Map<String, List<ChatReply>> replies) {
        return replies.entrySet().stream()
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

    private static KafkaConsumer<String, byte[]> replyConsumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "librdkafka-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static <T extends SpecificRecord> int register(Class<T> type, T sample, String topic) {
        try (AvroSerde<T> serde = AvroSerde.of(type, stack.serdeConfig(), false)) {
            byte[] framed = serde.serializer().serialize(topic, sample);
            return ByteBuffer.wrap(framed, 1, 4).getInt();
        }
    }

    private static void python(String kind, int schemaId, String schema, int count) throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            throw new IllegalStateException(PYTHON + " is missing: install python3-confluent-kafka and python3-avro (.ci/run does)");
        }
        Path script = temp.resolve("librdkafka_channel.py");
        try (InputStream in = LibrdkafkaChannelIT.class.getResourceAsStream("/python/librdkafka_channel.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path schemaFile = Files.writeString(temp.resolve(kind + ".avsc"), schema);
        Path output = temp.resolve(kind + ".out");
        Process process = new ProcessBuilder(PYTHON.toString(), script.toString(), stack.bootstrapServers(), kind,
                Integer.toString(schemaId), schemaFile.toString(), Integer.toString(count))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the Python channel finished").isTrue();
        assertThat(process.exitValue()).as("the Python channel's exit code; it printed:%n%s", readQuietly(output)).isZero();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
