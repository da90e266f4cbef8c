package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.ParleyProcessor;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import io.parley.worker.ConnectorWorker;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 2, end to end: the processor, a worker whose JDBC connector writes to a real
 * PostgreSQL through its inbox, on the embedded broker. Client-chosen event ids collide across
 * conversations; each conversation's write must be applied, and a redelivery only once.
 */
class ConversationScopedWritesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path stateDir;

    private static EmbeddedKafkaCluster kafka;
    private static EmbeddedPostgres postgres;
    private static ParleyProcessor processor;
    private static ConnectorWorker worker;
    private static Topics topics;
    private static KafkaProducer<String, ChatEvent> chat;
    private static KafkaConsumer<String, ChatReply> replies;
    private static KafkaConsumer<String, BackendRequest> requests;
    private static KafkaConsumer<String, BackendResponse> responses;
    private static final List<ChatReply> received = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
        execute("CREATE TABLE notes (id SERIAL PRIMARY KEY, user_id TEXT NOT NULL, text TEXT NOT NULL)");
        kafka = EmbeddedKafkaCluster.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(2, names.chatEvents(), names.backendResponses(), names.backendRequests(), names.notifications());
        kafka.createTopics(1, names.audit(), names.deadLetters(), names.defaultReplies());
        Map<String, String> registry = Map.of("schema.registry.url", "mock://scoped-writes-" + UUID.randomUUID());
        topics = Topics.create(names, registry);
        processor = ParleyProcessor.start(ProcessorConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                        "application.id", "parley-scoped-writes-it",
                        "state.dir", Files.createDirectories(stateDir.resolve("state")).toString()))
                .schemaRegistry(registry)
                .flows(List.of(FlowSource.classpath("flows/notes.yaml")))
                .adminPort(0)
                .build());
        assertThat(processor.awaitRunning(TIMEOUT)).as("processor running").isTrue();
        worker = ConnectorWorker.start(WorkerConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .schemaRegistry(registry)
                .topics(names)
                .mode(WorkerMode.CLASSIC)
                .groupId("scoped-writes-workers")
                .adminPort(0)
                .shutdownTimeout(Duration.ofSeconds(2))
                .connectorYaml("connectors.yaml", """
                        connectors:
                          - name: notes-db
                            type: jdbc
                            jdbcUrl: %s
                            username: postgres
                            inboxTable: worker_inbox
                            operations:
                              addNote:
                                sql: INSERT INTO notes (user_id, text) VALUES (:userId, :text)
                        """.formatted(postgres.getJdbcUrl("postgres", "postgres")))
                .build());
        chat = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.chatEvents().keySerde().serializer(), topics.chatEvents().valueSerde().serializer());
        replies = consumer(names.defaultReplies(), topics.defaultReplies());
        requests = consumer(names.backendRequests(), topics.backendRequests());
        responses = consumer(names.backendResponses(), topics.backendResponses());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {responses, requests, replies, chat, worker, processor, kafka, postgres}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void twoConversationsWithTheSameEventIdBothGetTheirWriteAndARedeliveryIsAppliedOnce() throws Exception {
        // Given alice and bob, whose clients both chose the event id "evt-1"
        ChatEvent alices = event("conv-alice", "alice", "evt-1", "note apples");
        ChatEvent bobs = event("conv-bob", "bob", "evt-1", "note pears");

        // When both notes are sent
        send(alices);
        send(bobs);

        // Then both are told their note was written, and both rows are in the database
        awaitReply("conv-alice", "Noted (1).");
        awaitReply("conv-bob", "Noted (1).");
        assertThat(rows("SELECT user_id || ':' || text FROM notes ORDER BY user_id")).containsExactly("alice:apples", "bob:pears");
        assertThat(rows("SELECT count(*) FROM worker_inbox")).containsExactly("2");

        // When alice's event is delivered again, and her call's request reaches the worker a second time
        List<BackendRequest> issued = new ArrayList<>();
        await().atMost(TIMEOUT).until(() -> {
            requests.poll(Duration.ofMillis(200)).forEach(record -> issued.add(record.value()));
            return issued.size() >= 2;
        });
        BackendRequest alicesCall = issued.stream().filter(r -> r.getConversationId().equals("conv-alice")).findFirst().orElseThrow();
        // (the processor drops the repeated event as a duplicate; the repeated request is the worker's redelivery)
        send(alices);
        try (KafkaProducer<String, BackendRequest> again = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.backendRequests().keySerde().serializer(), topics.backendRequests().valueSerde().serializer())) {
            again.send(new ProducerRecord<>(topics.backendRequests().name(), alicesCall.getConversationId(), alicesCall)).get();
        }

        // Then the worker answers the redelivered request from its inbox, and nothing is written twice
        List<BackendResponse> answers = new ArrayList<>();
        await().atMost(TIMEOUT).until(() -> {
            responses.poll(Duration.ofMillis(200)).forEach(record -> answers.add(record.value()));
            return answers.stream().filter(r -> r.getRequestId().equals(alicesCall.getRequestId())).count() >= 2;
        });
        assertThat(answers).filteredOn(r -> r.getRequestId().equals(alicesCall.getRequestId()))
                .allSatisfy(answer -> assertThat(answer.getResult()).contains("\"updated\":1"));
        assertThat(rows("SELECT count(*) FROM notes")).containsExactly("2");
        assertThat(rows("SELECT count(*) FROM worker_inbox")).containsExactly("2");
        assertThat(issued).extracting(BackendRequest::getRequestId).doesNotHaveDuplicates();
    }

    private static ChatEvent event(String conversationId, String userId, String eventId, String text) {
        return ChatEvent.newBuilder()
                .setEventId(eventId)
                .setConversationId(conversationId)
                .setUserId(userId)
                .setChannel("web")
                .setType(ChatEventType.MESSAGE)
                .setText(text)
                .setPayload(Map.of())
                .setLocale(null)
                .setOccurredAt(Instant.now())
                .build();
    }

    private static void send(ChatEvent event) throws Exception {
        chat.send(new ProducerRecord<>(topics.chatEvents().name(), event.getConversationId(), event)).get();
    }

    private static void awaitReply(String conversationId, String text) {
        await().atMost(TIMEOUT).until(() -> {
            replies.poll(Duration.ofMillis(200)).forEach(record -> received.add(record.value()));
            return received.stream().anyMatch(r -> r.getConversationId().equals(conversationId) && r.getText().equals(text));
        });
    }

    private static <V> KafkaConsumer<String, V> consumer(String topic, io.parley.topics.Topic<String, V> typed) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "scoped-writes-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                typed.keySerde().deserializer(), typed.valueSerde().deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> rows(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement();
             ResultSet resultSet = statement.executeQuery(sql)) {
            while (resultSet.next()) {
                rows.add(resultSet.getString(1));
            }
        }
        return rows;
    }
}
