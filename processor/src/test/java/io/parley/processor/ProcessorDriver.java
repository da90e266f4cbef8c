package io.parley.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.reload.FlowVersions;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RocksDbMemory;
import io.parley.runtime.tracing.Tracing;
import io.parley.processor.audit.AuditMode;
import io.parley.processor.config.AuditSettings;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Notification;
import io.parley.schemas.NotificationPriority;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.UserContact;
import io.parley.serde.AvroSerde;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The processor's real topology (built by {@link ProcessorWiring} exactly as in production) in a
 * {@link TopologyTestDriver}, with helpers that speak the language of the tests: a user says
 * something, a backend answers, time passes, replies come out.
 */
final class ProcessorDriver implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-24T10:00:00Z");
    static final String CONVERSATION = "conv-1";
    static final String USER = "alice";
    static final String CHANNEL = "web";

    private final ProcessorConfig config;
    private final Path stateDir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RocksDbMemory memory;
    private final TopologyTestDriver driver;
    private final Topology topology;
    private final Map<String, Object> streamsProperties;
    private final Topics topics;
    private final TestInputTopic<String, ChatEvent> chatEvents;
    private final TestInputTopic<byte[], byte[]> rawChatEvents;
    private final TestInputTopic<String, BackendResponse> responses;
    private final TestInputTopic<String, Notification> notifications;
    private final TestOutputTopic<String, BackendRequest> requests;
    private final TestOutputTopic<String, AuditEvent> audit;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final AtomicInteger eventIds = new AtomicInteger();
    private Instant now = START;

    private ProcessorDriver(ProcessorConfig config) {
        this(config, Tracing.off());
    }

    private ProcessorDriver(ProcessorConfig config, Tracing tracing) {
        this(config, tracing, null);
    }

    /** @param versions the flow versions to serve (published flows); null serves the configuration's flow files */
    private ProcessorDriver(ProcessorConfig config, Tracing tracing, FlowVersions versions) {
        this.config = config;
        try {
            this.stateDir = Files.createTempDirectory("parley-processor-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessorMetrics metrics = new ProcessorMetrics(registry);
        this.memory = new RocksDbMemory(config.rocksDb());
        this.streamsProperties = ProcessorWiring.streamsProperties(config, metrics, memory);
        FlowCatalog flows = versions == null ? ProcessorWiring.flows(config) : versions.newest().orElseThrow();
        this.topology = ProcessorWiring.topology(config, flows, versions == null ? FlowVersions.fixed(flows) : versions, metrics,
                streamsProperties, tracing);
        Properties props = new Properties();
        props.putAll(streamsProperties);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        this.driver = new TopologyTestDriver(topology, props, START);
        this.topics = Topics.create(config.topics(), config.schemaRegistry());
        this.chatEvents = input(topics.chatEvents());
        this.rawChatEvents = driver.createInputTopic(topics.chatEvents().name(), new ByteArraySerializer(), new ByteArraySerializer());
        this.responses = input(topics.backendResponses());
        this.notifications = input(topics.notifications());
        this.requests = output(topics.backendRequests());
        this.audit = output(topics.audit());
        this.deadLetters = driver.createOutputTopic(topics.deadLetters().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /** A driver running the shipped demo-shop flows. */
    static ProcessorDriver demoShop() {
        return withFlows("flows/demo-shop.yaml");
    }

    /** A driver running the given flow files from the test classpath. */
    static ProcessorDriver withFlows(String... resources) {
        return with(config -> { }, resources);
    }

    /** A driver running the given flows, tracing with {@code tracing}. */
    static ProcessorDriver traced(Tracing tracing, String... resources) {
        return new ProcessorDriver(config(config -> { }, resources), tracing);
    }

    /** A driver serving the flow versions {@code versions} holds (it must hold one); the resources name the configuration's flows. */
    static ProcessorDriver versioned(FlowVersions versions, String... resources) {
        return new ProcessorDriver(config(config -> { }, resources), Tracing.off(), versions);
    }

    /** A driver running the given flows with configuration changed by {@code adjust}. */
    static ProcessorDriver with(Consumer<ProcessorConfig.Builder> adjust, String... resources) {
        return new ProcessorDriver(config(adjust, resources));
    }

    private static ProcessorConfig config(Consumer<ProcessorConfig.Builder> adjust, String... resources) {
        ProcessorConfig.Builder builder = ProcessorConfig.builder()
                .kafka("bootstrap.servers", "unused:9092")
                .kafka("application.id", "parley-test")
                .schemaRegistry("schema.registry.url", "mock://processor-test-" + UUID.randomUUID())
                .flows(Arrays.stream(resources).map(FlowSource::classpath).toList());
        // -Dparley.test.auditMode=detailed runs the suite with the per-step audit records (default: turn);
        // tests that set audit settings themselves keep theirs
        String auditMode = System.getProperty("parley.test.auditMode");
        if (auditMode != null) {
            builder.audit(AuditSettings.DEFAULTS.withMode(AuditMode.valueOf(auditMode.toUpperCase(java.util.Locale.ROOT))));
        }
        adjust.accept(builder);
        return builder.build();
    }

    Topology topology() {
        return topology;
    }

    Map<String, Object> streamsProperties() {
        return streamsProperties;
    }

    /** Internal topics (changelogs, repartition topics) written so far. */
    Set<String> internalTopics() {
        return driver.producedTopicNames().stream()
                .filter(name -> name.startsWith(config.applicationId() + "-"))
                .collect(Collectors.toSet());
    }

    /** The records written since the last read to the internal topic {@code <application id>-<name>} (a changelog, say), as bytes. */
    List<TestRecord<byte[], byte[]>> internalRecords(String name) {
        return driver.createOutputTopic(config.applicationId() + "-" + name, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    ProcessorConfig config() {
        return config;
    }

    // ---- input ------------------------------------------------------------------------------

    ChatEvent say(String text) {
        return say(CONVERSATION, USER, text);
    }

    ChatEvent say(String conversationId, String userId, String text) {
        return send(event(conversationId, userId, ChatEventType.MESSAGE, text));
    }

    ChatEvent sessionStart() {
        return send(event(CONVERSATION, USER, ChatEventType.SESSION_START, null));
    }

    ChatEvent erase(String conversationId, String userId) {
        return send(event(conversationId, userId, ChatEventType.ERASE, null));
    }

    ChatEvent.Builder event(String conversationId, String userId, ChatEventType type, String text) {
        return ChatEvent.newBuilder()
                .setEventId("evt-" + eventIds.incrementAndGet())
                .setConversationId(conversationId)
                .setUserId(userId)
                .setChannel(CHANNEL)
                .setType(type)
                .setText(text)
                .setPayload(Map.of())
                .setLocale("en-GB")
                .setOccurredAt(now);
    }

    ChatEvent send(ChatEvent.Builder event) {
        return send(event.build());
    }

    ChatEvent send(ChatEvent event) {
        chatEvents.pipeInput(new TestRecord<>(event.getConversationId(), event, now));
        return event;
    }

    /** A chat event with headers (a channel's {@code traceparent}). */
    ChatEvent send(ChatEvent event, Headers headers) {
        chatEvents.pipeInput(new TestRecord<>(event.getConversationId(), event, headers, now));
        return event;
    }

    /** Writes a record to a reference table's topic (a null value is a tombstone). */
    void publishRow(String topic, String key, String value) {
        driver.createInputTopic(topic, new StringSerializer(), new StringSerializer()).pipeInput(key, value, now);
    }

    /** Writes raw bytes to a reference table's topic. */
    void publishRowBytes(String topic, byte[] key, byte[] value) {
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer()).pipeInput(key, value, now);
    }

    void sendRaw(byte[] key, byte[] value) {
        rawChatEvents.pipeInput(new TestRecord<>(key, value, now));
    }

    /** The backend answers a request OK with a JSON result. */
    void answer(BackendRequest request, String resultJson) {
        answer(request, BackendStatus.OK, resultJson);
    }

    void answer(BackendRequest request, BackendStatus status, String resultJson) {
        BackendResponse response = BackendResponse.newBuilder()
                .setRequestId(request.getRequestId())
                .setConversationId(request.getConversationId())
                .setConnector(request.getConnector())
                .setOperation(request.getOperation())
                .setStatus(status)
                .setResult(status == BackendStatus.OK ? resultJson : null)
                .setError(status == BackendStatus.OK ? null : status.name())
                .setLatencyMs(42)
                .setAttempts(1)
                .setCompletedAt(now)
                .build();
        responses.pipeInput(new TestRecord<>(request.getConversationId(), response, now));
    }

    /** A response exactly as given (a worker's error text, the operation it called). */
    void respond(BackendResponse response) {
        responses.pipeInput(new TestRecord<>(response.getConversationId(), response, now));
    }

    /** A chat event as a channel's serializer writes it (registry framing, Avro). */
    byte[] serialize(ChatEvent event) {
        return topics.chatEvents().valueSerde().serializer().serialize(topics.chatEvents().name(), event);
    }

    Notification notify(String notificationId, String userId, String text, Instant expiresAt) {
        return notify(notification(notificationId, userId, text, expiresAt));
    }

    /** A notification produced with a key of the producer's choosing. */
    void notifyRaw(String key, Notification notification) {
        notifications.pipeInput(new TestRecord<>(key, notification, now));
    }

    Notification notification(String notificationId, String userId, String text, Instant expiresAt) {
        return Notification.newBuilder()
                .setNotificationId(notificationId)
                .setUserId(userId)
                .setText(text)
                .setPriority(NotificationPriority.NORMAL)
                .setExpiresAt(expiresAt)
                .setCreatedAt(now)
                .build();
    }

    /** A notification with headers (a producer's {@code traceparent}). */
    Notification notify(Notification notification, Headers headers) {
        notifications.pipeInput(new TestRecord<>(notification.getUserId(), notification, headers, now));
        return notification;
    }

    Notification notify(Notification notification) {
        notifications.pipeInput(new TestRecord<>(notification.getUserId(), notification, now));
        return notification;
    }

    /** Wall-clock time passes; punctuators fire. */
    void advance(Duration duration) {
        now = now.plus(duration);
        driver.advanceWallClockTime(duration);
    }

    Instant now() {
        return now;
    }

    // ---- output -----------------------------------------------------------------------------

    List<BackendRequest> requests() {
        return requests.readValuesToList();
    }

    /** Requests issued since the last read, with their headers. */
    List<TestRecord<String, BackendRequest>> requestRecords() {
        return requests.readRecordsToList();
    }

    /** Replies on the default reply topic since the last read, with their headers. */
    List<TestRecord<String, ChatReply>> replyRecords() {
        Topic<String, ChatReply> replyTopic = topics.replies(config.topics().defaultReplies());
        return driver.createOutputTopic(replyTopic.name(), replyTopic.keySerde().deserializer(), replyTopic.valueSerde().deserializer())
                .readRecordsToList();
    }

    /** Audit records since the last read, with their headers. */
    List<TestRecord<String, AuditEvent>> auditRecords() {
        return audit.readRecordsToList();
    }

    /** The one request issued since the last read. */
    BackendRequest request() {
        List<BackendRequest> issued = requests();
        if (issued.size() != 1) {
            throw new AssertionError("expected one backend request, got " + issued);
        }
        return issued.get(0);
    }

    /** Replies on the default reply topic since the last read. */
    List<ChatReply> replies() {
        return replies(config.topics().defaultReplies());
    }

    List<ChatReply> replies(String topic) {
        Topic<String, ChatReply> replyTopic = topics.replies(topic);
        return driver.createOutputTopic(topic, replyTopic.keySerde().deserializer(), replyTopic.valueSerde().deserializer())
                .readValuesToList();
    }

    /** The one reply on the default topic since the last read. */
    ChatReply reply() {
        List<ChatReply> sent = replies();
        if (sent.size() != 1) {
            throw new AssertionError("expected one reply, got " + sent);
        }
        return sent.get(0);
    }

    /** The audit steps since the last read: TURN records (audit.mode turn) exploded into their steps, as readers see them. */
    List<AuditEvent> audit() {
        return audit.readValuesToList().stream().flatMap(record -> AuditSteps.of(record).stream()).toList();
    }

    /** The audit records since the last read, as written (TURN records whole). */
    List<AuditEvent> auditAsWritten() {
        return audit.readValuesToList();
    }

    List<AuditKind> auditKinds() {
        return audit().stream().map(AuditEvent::getKind).toList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    // ---- state and metrics ------------------------------------------------------------------

    KeyValueStore<String, Session> sessions() {
        return driver.getKeyValueStore("sessions");
    }

    Session session(String conversationId) {
        return sessions().get(conversationId);
    }

    UserContact contact(String userId) {
        KeyValueStore<String, UserContact> directory = driver.getKeyValueStore("user-directory");
        return directory.get(userId);
    }

    /**
     * A user-directory entry as it arrives from the {@code user-contacts} repartition topic (the
     * test driver reads every input topic as partition 0, so entries from other partitions are given here).
     */
    void contactArrives(String userId, UserContact contact) {
        String topic = config.applicationId() + "-user-contacts-repartition";
        try (AvroSerde<UserContact> serde = AvroSerde.of(UserContact.class, config.schemaRegistry(), false)) {
            driver.createInputTopic(topic, new StringSerializer(), serde.serializer()).pipeInput(userId, contact, now);
        }
    }

    <K, V> WindowStore<K, V> windowStore(String name) {
        return driver.getWindowStore(name);
    }

    <K, V> KeyValueStore<K, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    double counter(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    SimpleMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        driver.close();
        memory.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
