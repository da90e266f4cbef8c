package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.config.TelemetrySettings;
import io.parley.processor.flow.FlowSource;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Device;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.TelemetryEvent;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry in, alert out, on a real broker under exactly_once_v2: a freezer's owner has talked to the bot, the
 * freezer reports a warm temperature, and the owner's conversation gets the alert on its reply topic, with the
 * ALERT audit record (both written in the rule step's transaction). The delivered alert is then kept in the owner's
 * session through the {@code alert-deliveries} repartition topic, so "what happened?" is answered from {@code alert.*}:
 * {@code chat.events} has 3 partitions and the notifications 2, so an alert-deliveries topic sized like the
 * notifications (Streams' own choice) would miss the session.
 */
class TelemetryAlertIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path stateDir;

    private static EmbeddedKafkaCluster kafka;
    private static ParleyProcessor processor;
    private static Topics topics;
    private static ProcessorConfig config;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(3, names.chatEvents(), names.backendResponses());
        kafka.createTopics(2, names.backendRequests(), names.notifications(), names.iotTelemetry(), names.iotMutes());
        kafka.createTopics(1, names.audit(), names.deadLetters(), names.defaultReplies(), "chat.replies.web", names.iotDevices());
        config = ProcessorConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                        "application.id", "parley-telemetry-it",
                        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                        "state.dir", Files.createDirectories(stateDir.resolve("state")).toString()))
                .schemaRegistry("schema.registry.url", "mock://telemetry-it-" + UUID.randomUUID())
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml"), FlowSource.classpath("flows/demo-alerts.yaml")))
                .replyRoute("web", "chat.replies.web")
                .telemetry(TelemetrySettings.rules(FlowSource.classpath("telemetry/it-rules.yaml")))
                .adminPort(0)
                .build();
        topics = Topics.create(names, config.schemaRegistry());
        // The device table is a global store, loaded to the end before the processor processes anything.
        send(topics.iotDevices().name(), "freezer-1", Device.newBuilder().setDeviceId("freezer-1").setOwnerUserId("alice")
                .setName("Freezer").setLocation("store 12").setThresholds(Map.of()).build(),
                topics.iotDevices().valueSerde().serializer());
        processor = ParleyProcessor.start(config);
        assertThat(processor.awaitRunning(TIMEOUT)).as("processor running").isTrue();
    }

    @AfterAll
    static void stop() {
        if (processor != null) {
            processor.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void warmFreezerAlertsItsOwnerOnTheirConversationUnderExactlyOnce() {
        String conversation = "iot-" + UUID.randomUUID();
        try (TopicReader<String, ChatReply> replies = new TopicReader<>(kafka.bootstrapServers(), "chat.replies.web",
                topics.replies("chat.replies.web").keySerde().deserializer(), topics.replies("chat.replies.web").valueSerde().deserializer());
             TopicReader<String, AuditEvent> audit = new TopicReader<>(kafka.bootstrapServers(), topics.audit().name(),
                     topics.audit().keySerde().deserializer(), topics.audit().valueSerde().deserializer())) {
            // Given the owner has talked to the bot and owns the freezer
            send(topics.chatEvents().name(), conversation, ChatEvent.newBuilder().setEventId("e-" + conversation)
                    .setConversationId(conversation).setUserId("alice").setChannel("web").setType(ChatEventType.MESSAGE)
                    .setText("xyzzy plugh").setPayload(Map.of()).setLocale("en-GB").setOccurredAt(Instant.now()).build(),
                    topics.chatEvents().valueSerde().serializer());
            replies.await(r -> r.key().equals(conversation), TIMEOUT);

            // When the freezer reports -5 °C
            send(topics.iotTelemetry().name(), "freezer-1", TelemetryEvent.newBuilder().setEventId("t-1").setDeviceId("freezer-1")
                    .setMetric("temperature").setValue(-5).setEventTime(Instant.now()).setAttributes(Map.of()).build(),
                    topics.iotTelemetry().valueSerde().serializer());
            ChatReply alert = replies.await(r -> r.key().equals(conversation) && r.value().getKind() == ReplyKind.NOTIFICATION,
                    TIMEOUT).value();

            // Then the owner's conversation gets the alert, and the alert is audited
            assertThat(alert.getText()).isEqualTo("Freezer in store 12 is at -5 °C.");
            assertThat(alert.getData()).containsEntry("rule.name", "too-warm");
            AuditEvent audited = audit.await(r -> r.value().getKind() == AuditKind.ALERT, TIMEOUT).value();
            assertThat(audited.getAttributes()).containsEntry("device", "freezer-1");
            assertThat(ProcessorWiring.connectionProperties(config)).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                    StreamsConfig.EXACTLY_ONCE_V2);

            // And the owner's next message sees the alert. The alert-deliveries record commits with the reply but is read
            // by the conversation task from its own partition, so a question may overtake it: it is asked again until then.
            String expected = "Your Freezer in store 12 reported temperature -5 at " + alert.getData().get("at") + " (rule too-warm).";
            AtomicInteger asked = new AtomicInteger();
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String eventId = "what-" + asked.incrementAndGet() + "-" + conversation;
                send(topics.chatEvents().name(), conversation, ChatEvent.newBuilder().setEventId(eventId)
                        .setConversationId(conversation).setUserId("alice").setChannel("web").setType(ChatEventType.MESSAGE)
                        .setText("what happened?").setPayload(Map.of()).setLocale("en-GB").setOccurredAt(Instant.now()).build(),
                        topics.chatEvents().valueSerde().serializer());
                ChatReply answer = replies.await(r -> r.key().equals(conversation) && eventId.equals(r.value().getInReplyTo()),
                        TIMEOUT).value();
                assertThat(answer.getText()).isEqualTo(expected);
            });
        }
    }

    @Test
    void theAlertDeliveriesTopicHasTheChatEventsPartitionCount() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            String topic = "parley-telemetry-it-alert-deliveries-repartition";
            Awaitility.await().atMost(TIMEOUT).until(() -> admin.listTopics().names().get().contains(topic));
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
        }
    }

    private static <V> void send(String topic, String key, V value, org.apache.kafka.common.serialization.Serializer<V> serializer) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new org.apache.kafka.common.serialization.StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic, key, value));
            producer.flush();
        }
    }
}
