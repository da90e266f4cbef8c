package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.ops.ProcessorStartupException;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, on a real broker with exactly-once: two answers of about 600 kB in one step made the
 * session record larger than the producer's max.request.size, and the processor exited with
 * RecordTooLargeException. Now the session keeps what the flow reads, and the processor goes on.
 */
class RecordSizeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String BIG = "x".repeat(600_000);

    @TempDir
    static Path stateDir;

    private static EmbeddedKafkaCluster kafka;
    private static ParleyProcessor processor;
    private static Topics topics;
    private static FakeWorker worker;
    private static KafkaProducer<String, ChatEvent> chat;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(1, names.chatEvents(), names.backendResponses(), names.backendRequests(), names.notifications(),
                names.audit(), names.deadLetters(), names.defaultReplies());
        ProcessorConfig config = ProcessorConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                        "application.id", "parley-size-it",
                        "state.dir", Files.createDirectories(stateDir.resolve("state")).toString()))
                .schemaRegistry("schema.registry.url", "mock://size-it-" + UUID.randomUUID())
                .flows(List.of(FlowSource.classpath("flows/large-answers.yaml")))
                .adminPort(0)
                .build();
        topics = Topics.create(names, config.schemaRegistry());
        // Each answer is about 600 kB: within a worker's 1 MiB response cap, two of them are not within a record.
        worker = new FakeWorker(kafka.bootstrapServers(), topics,
                request -> "{\"status\":\"" + (request.getParams().get("orderId").equals("1") ? "SHIPPED" : "PACKED")
                        + "\",\"blob\":\"" + BIG + "\"}");
        chat = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.chatEvents().keySerde().serializer(), topics.chatEvents().valueSerde().serializer());
        processor = ParleyProcessor.start(config);
        assertThat(processor.awaitRunning(TIMEOUT)).as("processor running").isTrue();
    }

    @AfterAll
    static void stop() {
        if (processor != null) {
            processor.close();
        }
        if (chat != null) {
            chat.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void twoLargeAnswersInOneStepAreAnsweredAndTheProcessorGoesOn() {
        String conversation = "size-" + UUID.randomUUID();
        try (TopicReader<String, ChatReply> replies = new TopicReader<>(kafka.bootstrapServers(), "chat.replies",
                topics.defaultReplies().keySerde().deserializer(), topics.defaultReplies().valueSerde().deserializer())) {
            // When a step's two calls each answer with about 600 kB, of which the flow reads one field
            say(conversation, "compare");

            // Then the user gets the answer, and the processor is still running
            // (on a busy machine a "still working on it" interim may come first)
            ChatReply answer = replies.await(r -> r.key().equals(conversation) && r.value().getKind() != ReplyKind.INTERIM, TIMEOUT).value();
            assertThat(answer.getText()).isEqualTo("SHIPPED and PACKED");
            assertThat(processor.isRunning()).isTrue();

            // When the flow reads the large field itself, the call fails as too large to keep, and the user hears so
            say(conversation, "dump");
            ChatReply tooLarge = replies.await(r -> r.key().equals(conversation) && r.value().getKind() != ReplyKind.INTERIM
                    && !r.value().getReplyId().equals(answer.getReplyId()), TIMEOUT).value();
            assertThat(tooLarge.getText()).isEqualTo("Sorry, I couldn't get that information right now. Please try again later.");

            // And the conversation goes on
            say(conversation, "compare");
            ChatReply again = replies.await(r -> r.key().equals(conversation) && r.value().getKind() != ReplyKind.INTERIM
                    && !r.value().getReplyId().equals(answer.getReplyId()) && !r.value().getReplyId().equals(tooLarge.getReplyId()),
                    TIMEOUT).value();
            assertThat(again.getKind()).isEqualTo(ReplyKind.ANSWER);
            assertThat(processor.isRunning()).isTrue();
        }
    }

    @Test
    void aLimitBeyondWhatATopicAcceptsStopsTheStartNamingTheKeyAndTheTopic() throws Exception {
        // Given a dead-letter topic that accepts records of 100,000 bytes, below limits.maxDeadLetterBytes (256 KiB)
        kafka.admin().createTopics(List.of(new NewTopic("small.dlq", 1, (short) 1)
                .configs(Map.of("max.message.bytes", "100000")))).all().get();
        ProcessorConfig config = ProcessorConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers(), "application.id", "parley-size-it-refused",
                        "state.dir", Files.createDirectories(stateDir.resolve("refused")).toString()))
                .schemaRegistry("schema.registry.url", "mock://size-it-refused")
                .topics(TopicNames.fromMap(Map.of(TopicNames.DEAD_LETTERS, "small.dlq")))
                .flows(List.of(FlowSource.classpath("flows/large-answers.yaml")))
                .adminPort(0)
                .build();

        // Then the processor does not start, and says which limit does not fit where
        assertThatThrownBy(() -> ParleyProcessor.start(config))
                .isInstanceOf(ProcessorStartupException.class)
                .hasMessageStartingWith("code: limits.maxDeadLetterBytes lets a record grow to 262656 bytes")
                .hasMessageContaining("but small.dlq accepts 100000");
    }

    @Test
    void theInstanceIsReadyWhileItsStreamThreadsMoveOn() throws Exception {
        HttpResponse<String> ready = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(processor.adminUrl() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(ready.statusCode()).isEqualTo(200);
    }

    private static void say(String conversation, String text) {
        ChatEvent event = ChatEvent.newBuilder()
                .setEventId("evt-" + UUID.randomUUID())
                .setConversationId(conversation)
                .setUserId("alice")
                .setChannel("web")
                .setType(ChatEventType.MESSAGE)
                .setText(text)
                .setOccurredAt(Instant.now())
                .build();
        chat.send(new ProducerRecord<>("chat.events", conversation, event));
        chat.flush();
    }
}
