package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.topology.StoreNames;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.serde.AvroSerdeConfig;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What one turn with a backend call writes to the {@code sessions} and {@code deadlines} changelogs on
 * a real broker. Under at-least-once both stores keep their writes until the commit (the record
 * cache), so a turn answered within one commit interval reaches each changelog once: the session as
 * it ended, and the deadline entry's delete. Under exactly-once the request is readable only after
 * the commit that sends it, every write goes out, and each changelog gets two records.
 */
class TurnWritesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String REGISTRY = "mock://turn-writes-it-" + UUID.randomUUID();

    @TempDir
    static Path stateDir;

    private static EmbeddedKafkaCluster kafka;
    private static Topics topics;
    private static KafkaProducer<String, ChatEvent> chat;
    private static FakeWorker worker;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaCluster.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(2, names.chatEvents(), names.backendResponses(), names.backendRequests(), names.notifications());
        kafka.createTopics(1, names.audit(), names.deadLetters(), names.defaultReplies(), "chat.replies.web");
        topics = Topics.create(names, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY));
        chat = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.chatEvents().keySerde().serializer(), topics.chatEvents().valueSerde().serializer());
        worker = new FakeWorker(kafka.bootstrapServers(), topics,
                request -> request.getOperation().equals("getOrder") ? DemoResults.ORDER_1001 : null);
    }

    @AfterAll
    static void stopBroker() {
        if (worker != null) {
            worker.close();
        }
        if (chat != null) {
            chat.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    // Under at-least-once the commit interval is a minute here (a second by default), so that no commit falls
    // between the request and its answer by chance; closing the processor commits. Exactly-once keeps its default.
    @ParameterizedTest(name = "{0}")
    @CsvSource({"at_least_once, 60000, 1, 1", "exactly_once_v2, , 2, 2"})
    void aTurnWithABackendCallWritesEachChangelog(String guarantee, String commitInterval, int sessionRecords, int deadlineRecords)
            throws Exception {
        String appId = "parley-turn-writes-" + guarantee.replace('_', '-') + "-" + UUID.randomUUID();
        String conversation = "turn-writes-" + UUID.randomUUID();
        String eventId;
        try (TopicReader<String, ChatReply> replies = new TopicReader<>(kafka.bootstrapServers(), "chat.replies.web",
                topics.defaultReplies().keySerde().deserializer(), topics.defaultReplies().valueSerde().deserializer())) {
            // Given the processor under the guarantee
            try (ParleyProcessor processor = start(appId, guarantee, commitInterval)) {
                // When a turn asks the backend for an order and is answered
                eventId = say(conversation, "where is my order 1001");
                ChatReply answer = replies.await(r -> r.key().equals(conversation) && r.value().getKind() == ReplyKind.ANSWER, TIMEOUT)
                        .value();
                assertThat(answer.getText()).startsWith("Order 1001 is SHIPPED");
            }
        }

        // Then each changelog holds what the guarantee lets through (the processor also reads the earlier tests' chat events)
        byte[] sessionKey = conversation.getBytes(StandardCharsets.UTF_8);
        assertThat(changelogRecords(appId, StoreNames.SESSIONS)).as("sessions changelog")
                .filteredOn(record -> Arrays.equals(record.key(), sessionKey)).hasSize(sessionRecords);
        // A deadline entry's key is its due time and the turn's event id
        byte[] turn = eventId.getBytes(StandardCharsets.UTF_8);
        assertThat(changelogRecords(appId, StoreNames.DEADLINES)).as("deadlines changelog")
                .filteredOn(record -> endsWith(record.key(), turn)).hasSize(deadlineRecords);
    }

    private static ParleyProcessor start(String appId, String guarantee, String commitInterval) throws Exception {
        ProcessorConfig.Builder builder = ProcessorConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                        "application.id", appId,
                        "processing.guarantee", guarantee,
                        "state.dir", Files.createDirectories(stateDir).toString()))
                .schemaRegistry("schema.registry.url", REGISTRY)
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")))
                .replyRoute("web", "chat.replies.web")
                .adminPort(0);
        if (commitInterval != null) {
            builder.kafka("commit.interval.ms", commitInterval);
        }
        ParleyProcessor processor = ParleyProcessor.start(builder.build());
        assertThat(processor.awaitRunning(TIMEOUT)).as("processor running").isTrue();
        return processor;
    }

    /** The committed records of a store's changelog. */
    private static List<ConsumerRecord<byte[], byte[]>> changelogRecords(String appId, String store) {
        return TopicRecords.read(kafka.bootstrapServers(), appId + "-" + store + "-changelog", "read_committed", TIMEOUT);
    }

    private static boolean endsWith(byte[] bytes, byte[] suffix) {
        return bytes.length >= suffix.length
                && Arrays.equals(bytes, bytes.length - suffix.length, bytes.length, suffix, 0, suffix.length);
    }

    /** Sends a message; returns its event id. */
    private static String say(String conversation, String text) {
        String eventId = UUID.randomUUID().toString();
        chat.send(new ProducerRecord<>("chat.events", conversation, ChatEvent.newBuilder()
                .setEventId(eventId).setConversationId(conversation).setUserId("alice").setChannel("web")
                .setType(ChatEventType.MESSAGE).setText(text).setPayload(Map.of()).setOccurredAt(Instant.now()).build()));
        chat.flush();
        return eventId;
    }
}
