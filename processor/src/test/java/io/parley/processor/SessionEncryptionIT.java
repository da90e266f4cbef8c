package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.config.EncryptionSettings;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.topology.StoreNames;
import io.parley.runtime.Secret;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.Session;
import io.parley.serde.AvroSerde;
import io.parley.serde.AvroSerdeConfig;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest on a real broker: personal values given in real turns (a profile loaded by the
 * greeting, an order number held in a turn whose answer is pending) are searched for, byte by byte,
 * in the sessions changelog topic and in every file of the processor's state directory. With
 * encryption on none is found; with it off the same search finds them, so the search can fail.
 * And a key rotation across a restart: a session sealed with key A is read by an instance whose
 * current key is B, and written again under B.
 */
class SessionEncryptionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String REGISTRY = "mock://session-encryption-it-" + UUID.randomUUID();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Secret KEY_A = randomKey();
    private static final Secret KEY_B = randomKey();

    @TempDir
    static Path stateDir;

    private static EmbeddedKafkaCluster kafka;
    private static Topics topics;
    private static KafkaProducer<String, ChatEvent> chat;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaCluster.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(2, names.chatEvents(), names.backendResponses(), names.backendRequests(), names.notifications());
        kafka.createTopics(1, names.audit(), names.deadLetters(), names.defaultReplies(), "chat.replies.web");
        topics = Topics.create(names, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY));
        chat = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.chatEvents().keySerde().serializer(), topics.chatEvents().valueSerde().serializer());
    }

    @AfterAll
    static void stopBroker() {
        if (chat != null) {
            chat.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void withEncryptionOnNoSeededPersonalValueIsInTheChangelogOrOnDisk() throws Exception {
        // Given the processor with encryption on, When personal values go through real turns
        Seeded seeded = runTurns("sealed", EncryptionSettings.sealingWith("a", Map.of("a", KEY_A)));

        // Then none of them is in the changelog topic's bytes nor in any file of the state directory
        assertThat(seeded.changelog()).as("sessions changelog").isNotEmpty();
        assertThat(seeded.stateFiles()).as("state directory").isNotEmpty();
        for (String value : seeded.values()) {
            assertThat(contains(seeded.changelog(), value)).as("'%s' in the changelog", value).isFalse();
            assertThat(seeded.stateFiles()).as("files holding '%s'", value).noneMatch(file -> contains(read(file), value));
        }
    }

    @Test
    void withEncryptionOffTheSameSearchFindsThem() throws Exception {
        Seeded seeded = runTurns("clear", EncryptionSettings.DEFAULTS);

        for (String value : seeded.values()) {
            assertThat(contains(seeded.changelog(), value)).as("'%s' in the changelog", value).isTrue();
            assertThat(seeded.stateFiles()).as("files holding '%s'", value).anyMatch(file -> contains(read(file), value));
        }
    }

    @Test
    void aSessionSealedWithKeyAIsReadWhenBIsCurrentAndWrittenAgainWithB() throws Exception {
        String appId = "parley-rotation-" + UUID.randomUUID();
        String conversation = "rotation-" + UUID.randomUUID();
        String orderId = digits();
        FakeWorker worker = new FakeWorker(kafka.bootstrapServers(), topics,
                request -> request.getOperation().equals("getOrder") ? DemoResults.ORDER_1001.replace("\"1001\"", "\"" + orderId + "\"") : null);
        try (TopicReader<String, ChatReply> replies = new TopicReader<>(kafka.bootstrapServers(), "chat.replies.web",
                topics.defaultReplies().keySerde().deserializer(), topics.defaultReplies().valueSerde().deserializer())) {
            // Given a conversation waiting for an order number, its session sealed with key A
            try (ParleyProcessor underA = start(appId, EncryptionSettings.sealingWith("a", Map.of("a", KEY_A)))) {
                say(conversation, "where is my order");
                assertThat(replies.await(r -> r.key().equals(conversation), TIMEOUT).value().getKind()).isEqualTo(ReplyKind.PROMPT);
            }

            // When the processor restarts with B current and A kept decrypt-only, and the user answers
            try (ParleyProcessor underB = start(appId, EncryptionSettings.sealingWith("b", Map.of("a", KEY_A, "b", KEY_B)))) {
                say(conversation, orderId);

                // Then the session sealed with A was read (the awaited slot, the user it belongs to), the turn completes
                ChatReply answer = replies.await(r -> r.key().equals(conversation) && r.value().getKind() != ReplyKind.PROMPT
                        && r.value().getKind() != ReplyKind.INTERIM, TIMEOUT).value();
                assertThat(answer.getKind()).isEqualTo(ReplyKind.ANSWER);
                assertThat(answer.getText()).startsWith("Order " + orderId + " is SHIPPED");
            }
        } finally {
            worker.close();
        }

        // and the changelog holds the conversation first under A, last under B
        List<String> keyIds = new ArrayList<>();
        try (Serde<Session> plain = AvroSerde.of(Session.class, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY), false)) {
            for (ConsumerRecord<byte[], byte[]> record : changelogRecords(appId)) {
                if (record.value() != null && new String(record.key(), StandardCharsets.UTF_8).equals(conversation)) {
                    Session stored = plain.deserializer().deserialize(changelog(appId), record.value());
                    keyIds.add(stored.getSealed() == null ? "clear" : stored.getSealed().getKeyId());
                }
            }
        }
        assertThat(keyIds).first().isEqualTo("a");
        assertThat(keyIds).last().isEqualTo("b");
        assertThat(keyIds).doesNotContain("clear");
    }

    /** Runs the turns that put personal values into a session, closes the processor, and collects what it left. */
    private Seeded runTurns(String label, EncryptionSettings encryption) throws Exception {
        String appId = "parley-" + label + "-" + UUID.randomUUID();
        String conversation = label + "-" + UUID.randomUUID();
        String name = "Zorblax" + letters();
        String orderId = digits();
        CountDownLatch release = new CountDownLatch(1);
        // The profile carries the name; the order lookup is held, so the turn with the order number stays in the session
        FakeWorker worker = new FakeWorker(kafka.bootstrapServers(), topics, request -> switch (request.getOperation()) {
            case "getCustomerProfile" -> "{\"id\":\"alice\",\"name\":\"" + name + "\",\"tier\":\"gold\"}";
            case "getOrder" -> {
                // Only this run's order: the topic also holds earlier tests' requests
                if (orderId.equals(request.getParams().get("orderId"))) {
                    await(release);
                }
                yield null;
            }
            default -> null;
        });
        try (TopicReader<String, ChatReply> replies = new TopicReader<>(kafka.bootstrapServers(), "chat.replies.web",
                topics.defaultReplies().keySerde().deserializer(), topics.defaultReplies().valueSerde().deserializer())) {
            try (ParleyProcessor processor = start(appId, encryption)) {
                say(conversation, "hello");
                assertThat(replies.await(r -> r.key().equals(conversation) && r.value().getKind() == ReplyKind.ANSWER, TIMEOUT)
                        .value().getText()).contains(name);

                say(conversation, "where is my order " + orderId);
                Awaitility.await().atMost(TIMEOUT).until(() -> worker.received().stream()
                        .anyMatch(request -> orderId.equals(request.getParams().get("orderId"))));
            }
        } finally {
            release.countDown();
            worker.close();
        }
        // Closed: RocksDB has flushed its memtables to files
        List<Path> files;
        try (Stream<Path> walk = Files.walk(stateDir.resolve(appId))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        ByteArrayOutputStream changelog = new ByteArrayOutputStream();
        for (ConsumerRecord<byte[], byte[]> record : changelogRecords(appId)) {
            if (record.value() != null) {
                changelog.write(record.value());
            }
        }
        return new Seeded(List.of(name, orderId), changelog.toByteArray(), files);
    }

    private record Seeded(List<String> values, byte[] changelog, List<Path> stateFiles) {
    }

    private static ParleyProcessor start(String appId, EncryptionSettings encryption) throws Exception {
        ProcessorConfig config = ProcessorConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                        "application.id", appId,
                        "state.dir", Files.createDirectories(stateDir).toString()))
                .schemaRegistry("schema.registry.url", REGISTRY)
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")))
                .replyRoute("web", "chat.replies.web")
                .adminPort(0)
                .encryption(encryption)
                .build();
        ParleyProcessor processor = ParleyProcessor.start(config);
        assertThat(processor.awaitRunning(TIMEOUT)).as("processor running").isTrue();
        return processor;
    }

    private static String changelog(String appId) {
        return appId + "-" + StoreNames.SESSIONS + "-changelog";
    }

    /** Every record of the sessions changelog, committed or not: what a reader of the topic's bytes could see. */
    private static List<ConsumerRecord<byte[], byte[]>> changelogRecords(String appId) {
        return TopicRecords.read(kafka.bootstrapServers(), changelog(appId), "read_uncommitted", TIMEOUT);
    }

    private static void say(String conversation, String text) {
        chat.send(new ProducerRecord<>("chat.events", conversation, ChatEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setConversationId(conversation).setUserId("alice").setChannel("web")
                .setType(ChatEventType.MESSAGE).setText(text).setPayload(Map.of()).setOccurredAt(Instant.now()).build()));
        chat.flush();
    }

    private static boolean contains(byte[] haystack, String value) {
        byte[] needle = value.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String letters() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            text.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return text.toString();
    }

    private static String digits() {
        // Ten digits, the most an order number may have; a leading 9 keeps it ten long
        return "9" + String.format("%09d", RANDOM.nextInt(1_000_000_000));
    }

    private static Secret randomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Secret.of(Base64.getEncoder().encodeToString(key));
    }
}
