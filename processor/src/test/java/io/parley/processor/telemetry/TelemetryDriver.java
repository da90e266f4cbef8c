package io.parley.processor.telemetry;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.processor.ProcessorWiring;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.config.TelemetrySettings;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RocksDbMemory;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.Device;
import io.parley.schemas.MuteCommand;
import io.parley.schemas.TelemetryEvent;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The processor's real topology with a rules file, in a {@link TopologyTestDriver}: devices are registered,
 * their owner has talked to the bot (so the user directory knows their channel), measurements come in,
 * wall-clock time passes, alerts come out on the reply topic.
 */
final class TelemetryDriver implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-24T10:00:00Z");
    static final String OWNER = "alice";
    static final String CONVERSATION = "conv-alice";

    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final Topology topology;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TestInputTopic<String, TelemetryEvent> telemetry;
    private final TestInputTopic<byte[], byte[]> rawTelemetry;
    private final TestInputTopic<String, Device> devices;
    private final TestInputTopic<String, MuteCommand> mutes;
    private final TestInputTopic<String, ChatEvent> chatEvents;
    private final TestOutputTopic<String, ChatReply> replies;
    private final TestOutputTopic<String, AuditEvent> audit;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final Topic<String, TelemetryEvent> telemetryTopic;
    private int events;

    private TelemetryDriver(ProcessorConfig config) {
        try {
            this.stateDir = Files.createTempDirectory("parley-telemetry-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessorMetrics metrics = new ProcessorMetrics(registry);
        Map<String, Object> streamsProperties = ProcessorWiring.streamsProperties(config, metrics, new RocksDbMemory(config.rocksDb()));
        this.topology = ProcessorWiring.topology(config, ProcessorWiring.flows(config), metrics, streamsProperties);
        Properties props = new Properties();
        props.putAll(streamsProperties);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        this.driver = new TopologyTestDriver(topology, props, START);
        Topics topics = Topics.create(config.topics(), config.schemaRegistry());
        this.telemetryTopic = topics.iotTelemetry();
        this.telemetry = input(topics.iotTelemetry());
        this.rawTelemetry = driver.createInputTopic(topics.iotTelemetry().name(), new ByteArraySerializer(), new ByteArraySerializer());
        this.devices = input(topics.iotDevices());
        this.mutes = input(topics.iotMutes());
        this.chatEvents = input(topics.chatEvents());
        Topic<String, ChatReply> replyTopic = topics.replies(config.topics().defaultReplies());
        this.replies = driver.createOutputTopic(replyTopic.name(), replyTopic.keySerde().deserializer(), replyTopic.valueSerde().deserializer());
        this.audit = driver.createOutputTopic(topics.audit().name(), topics.audit().keySerde().deserializer(),
                topics.audit().valueSerde().deserializer());
        this.deadLetters = driver.createOutputTopic(topics.deadLetters().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The test rules (one per kind) with the demo-shop flows. */
    static TelemetryDriver withTestRules() {
        return with("telemetry/test-rules.yaml", builder -> { });
    }

    static TelemetryDriver with(String rulesResource, Consumer<ProcessorConfig.Builder> adjust) {
        ProcessorConfig.Builder builder = ProcessorConfig.builder()
                .kafka("bootstrap.servers", "unused:9092")
                .kafka("application.id", "parley-test")
                .schemaRegistry("schema.registry.url", "mock://telemetry-test-" + UUID.randomUUID())
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")))
                .telemetry(TelemetrySettings.rules(FlowSource.classpath(rulesResource)));
        adjust.accept(builder);
        return new TelemetryDriver(builder.build());
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    Topology topology() {
        return topology;
    }

    SimpleMeterRegistry registry() {
        return registry;
    }

    /** The owner says hello, so the user directory knows where to reach them; the reply is discarded. */
    TelemetryDriver ownerIsOnline() {
        chatEvents.pipeInput(CONVERSATION, ChatEvent.newBuilder()
                .setEventId("hello-" + (++events)).setConversationId(CONVERSATION).setUserId(OWNER).setChannel("web")
                .setType(ChatEventType.MESSAGE).setText("xyzzy plugh").setPayload(Map.of()).setLocale("en-GB")
                .setOccurredAt(START).build(), START);
        replies.readRecordsToList();
        audit.readRecordsToList();
        return this;
    }

    /** A user says something in their conversation; returns the texts of the replies that are not notifications. */
    List<String> says(String conversation, String user, String text) {
        chatEvents.pipeInput(conversation, ChatEvent.newBuilder()
                .setEventId("msg-" + (++events)).setConversationId(conversation).setUserId(user).setChannel("web")
                .setType(ChatEventType.MESSAGE).setText(text).setPayload(Map.of()).setLocale("en-GB")
                .setOccurredAt(START).build(), START);
        return replies.readValuesToList().stream().filter(reply -> reply.getKind() != ReplyKind.NOTIFICATION)
                .map(reply -> reply.getText().toString()).toList();
    }

    /** The owner says something in their conversation. */
    List<String> ownerSays(String text) {
        return says(CONVERSATION, OWNER, text);
    }

    /** The processor's state store {@code name} (sessions, rule state). */
    <K, V> org.apache.kafka.streams.state.KeyValueStore<K, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    TelemetryDriver device(String id, String name, String location, Map<String, Double> thresholds) {
        devices.pipeInput(id, Device.newBuilder().setDeviceId(id).setOwnerUserId(OWNER).setName(name).setLocation(location)
                .setThresholds(thresholds).build(), START);
        return this;
    }

    /** The device now belongs to {@code owner} (a new row on iot.devices). */
    TelemetryDriver devicesOwnedBy(String owner, String id) {
        devices.pipeInput(id, Device.newBuilder().setDeviceId(id).setOwnerUserId(owner).setName("Freezer").setLocation("store 12")
                .setThresholds(Map.of()).build(), START);
        return this;
    }

    TelemetryDriver freezer() {
        return device("freezer-1", "Freezer", "store 12", Map.of());
    }

    /** A measurement at {@code START + minutes}. */
    void measure(String device, String metric, double value, double minutes) {
        Instant at = START.plusMillis((long) (minutes * 60_000));
        measure(TelemetryEvent.newBuilder().setEventId(device + "/" + metric + "/" + at.toEpochMilli()).setDeviceId(device)
                .setMetric(metric).setValue(value).setEventTime(at).setAttributes(Map.of()).build());
    }

    void measure(TelemetryEvent event) {
        telemetry.pipeInput(event.getDeviceId(), event, event.getEventTime());
    }

    void measure(String key, TelemetryEvent event) {
        telemetry.pipeInput(key, event, event.getEventTime());
    }

    /** A mute command written straight to {@code iot.mutes} (not through a conversation). */
    void mute(MuteCommand command) {
        mutes.pipeInput(command.getDeviceId(), command, command.getCreatedAt());
    }

    void raw(byte[] key, byte[] value) {
        rawTelemetry.pipeInput(key, value);
    }

    /** A measurement already in its wire form (the cost probe serialises ahead, so that is not counted). */
    void raw(byte[] key, byte[] value, Instant timestamp) {
        rawTelemetry.pipeInput(key, value, timestamp);
    }

    /** {@code iot.telemetry} with serdes on this driver's registry. */
    Topic<String, TelemetryEvent> telemetryTopic() {
        return telemetryTopic;
    }

    /** Every topic the topology has written to so far, internal ones (changelogs, repartitions) included. */
    Set<String> producedTopicNames() {
        return driver.producedTopicNames();
    }

    /** What has been written to {@code topic} since the last call: records and bytes (keys and values). */
    long[] drain(String topic) {
        long records = 0;
        long bytes = 0;
        for (TestRecord<byte[], byte[]> record : driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList()) {
            records++;
            bytes += (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
        }
        return new long[] {records, bytes};
    }

    /** Wall-clock time passes (the punctuator wakes silent devices and fires absence rules). */
    void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /** Lets the grace period pass on the wall clock, so whatever is held back is handed to the rules. */
    void settle() {
        advance(Duration.ofMinutes(1).plusSeconds(2));
    }

    List<ChatReply> alerts() {
        return replies.readValuesToList().stream().filter(reply -> reply.getKind() == ReplyKind.NOTIFICATION).toList();
    }

    List<String> alertTexts() {
        return alerts().stream().map(reply -> reply.getText().toString()).toList();
    }

    List<AuditEvent> audit() {
        return audit.readValuesToList();
    }

    List<AuditEvent> audit(AuditKind kind) {
        return audit().stream().filter(event -> event.getKind() == kind).toList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
