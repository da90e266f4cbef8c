package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.processor.ProcessorWiring;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.config.TelemetrySettings;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RocksDbMemory;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Device;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.TelemetryEvent;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fired rule with {@code calls:} through the processor's real topology: the request goes out with the rule's
 * parameters and an idempotency key derived from the alert id, the answer comes back on {@code backend.responses}
 * (as a worker writes it), and the notification says what the call found; a late or failed call gives the fallback.
 */
class RuleCallsTest {

    private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");
    private static final String OWNER = "alice";
    private static final String CONVERSATION = "conv-alice";

    private Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, TelemetryEvent> telemetry;
    private TestInputTopic<String, BackendResponse> responses;
    private TestOutputTopic<String, BackendRequest> requests;
    private TestOutputTopic<String, ChatReply> replies;
    private TestOutputTopic<String, AuditEvent> audit;

    @BeforeEach
    void start() throws IOException {
        stateDir = Files.createTempDirectory("parley-rule-calls-test");
        ProcessorConfig config = ProcessorConfig.builder()
                .kafka("bootstrap.servers", "unused:9092")
                .kafka("application.id", "parley-test")
                .schemaRegistry("schema.registry.url", "mock://rule-calls-test-" + UUID.randomUUID())
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")))
                .telemetry(TelemetrySettings.rules(FlowSource.classpath("telemetry/call-rules.yaml")))
                .build();
        ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
        Map<String, Object> streamsProperties = ProcessorWiring.streamsProperties(config, metrics, new RocksDbMemory(config.rocksDb()));
        Properties props = new Properties();
        props.putAll(streamsProperties);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ProcessorWiring.topology(config, ProcessorWiring.flows(config), metrics, streamsProperties),
                props, START);
        Topics topics = Topics.create(config.topics(), config.schemaRegistry());
        telemetry = input(topics.iotTelemetry());
        responses = input(topics.backendResponses());
        requests = output(topics.backendRequests());
        replies = output(topics.replies(config.topics().defaultReplies()));
        audit = output(topics.audit());
        // The owner has talked to the bot (the user directory knows their channel) and owns the freezer.
        input(topics.chatEvents()).pipeInput(CONVERSATION, ChatEvent.newBuilder()
                .setEventId("hello").setConversationId(CONVERSATION).setUserId(OWNER).setChannel("web")
                .setType(ChatEventType.MESSAGE).setText("xyzzy plugh").setPayload(Map.of()).setLocale("en-GB")
                .setOccurredAt(START).build(), START);
        input(topics.iotDevices()).pipeInput("freezer-1", Device.newBuilder().setDeviceId("freezer-1").setOwnerUserId(OWNER)
                .setName("Freezer").setLocation("store 12").setThresholds(Map.of()).build(), START);
        replies.readRecordsToList();
        audit.readRecordsToList();
    }

    @AfterEach
    void stop() throws IOException {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void aFiredRuleCallsTheBackendWithItsParametersAndWaitsForTheAnswer() {
        // Given a freezer that gets too warm
        measure("temperature", -20, 0);
        measure("temperature", -5, 1);

        // Then the rule asks the backend who is on duty, and does not notify yet
        List<BackendRequest> sent = requests.readValuesToList();
        assertThat(sent).hasSize(1);
        BackendRequest request = sent.get(0);
        String alertId = "alert/freezer-1/too-warm/" + START.plusSeconds(60).toEpochMilli();
        assertThat(request.getRequestId()).isEqualTo(alertId + "/call/manager");
        assertThat(request.getConversationId()).isEqualTo(alertId);
        assertThat(request.getUserId()).isEqualTo(OWNER);
        assertThat(request.getConnector()).isEqualTo("shop");
        assertThat(request.getOperation()).isEqualTo("managerOnDuty");
        assertThat(request.getParams()).containsExactlyInAnyOrderEntriesOf(Map.of("store", "store 12", "device", "freezer-1"));
        assertThat(request.getDeadline()).isEqualTo(START.plusSeconds(5));
        assertThat(alerts()).isEmpty();

        // When the worker answers
        answer(request, BackendStatus.OK, "{\"name\": \"Maria\", \"phone\": \"+44 20 7946 0000\"}");

        // Then the owner is told who is on duty
        List<ChatReply> alerts = alerts();
        assertThat(alerts).extracting(reply -> reply.getText().toString())
                .containsExactly("Freezer in store 12 is at -5 °C. Maria is on duty (+44 20 7946 0000).");
        assertThat(alerts.get(0).getData()).containsEntry("results.manager.name", "Maria").containsEntry("rule.name", "too-warm");
        List<AuditEvent> records = audit.readValuesToList();
        assertThat(records).extracting(AuditEvent::getKind).contains(AuditKind.ALERT, AuditKind.BACKEND_REQUEST,
                AuditKind.BACKEND_RESPONSE, AuditKind.NOTIFICATION);
        assertThat(records).filteredOn(e -> e.getKind() == AuditKind.BACKEND_RESPONSE)
                .singleElement().satisfies(e -> {
                    assertThat(e.getStatus()).isEqualTo("OK");
                    assertThat(e.getRequestId()).isEqualTo(request.getRequestId());
                });

        // And the same answer again (a redelivery) changes nothing
        answer(request, BackendStatus.OK, "{\"name\": \"Maria\"}");
        assertThat(alerts()).isEmpty();
        assertThat(audit.readValuesToList()).extracting(AuditEvent::getKind).containsExactly(AuditKind.DUPLICATE);
    }

    @Test
    void aCallThatIsNotAnsweredByTheDeadlineGivesTheFallback() {
        // Given a fired rule whose call is not answered
        measure("temperature", -5, 0);
        BackendRequest request = requests.readValuesToList().get(0);

        // When its 5 s deadline passes
        driver.advanceWallClockTime(Duration.ofSeconds(4));
        assertThat(alerts()).isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        // Then the owner gets the fallback, and the call is audited TIMEOUT
        assertThat(alerts()).extracting(reply -> reply.getText().toString())
                .containsExactly("Freezer in store 12 is at -5 °C. Call the store.");
        assertThat(audit.readValuesToList()).filteredOn(e -> e.getKind() == AuditKind.TIMEOUT).singleElement()
                .satisfies(e -> assertThat(e.getRequestId()).isEqualTo(request.getRequestId()));

        // And an answer after that is audited LATE, not sent
        answer(request, BackendStatus.OK, "{\"name\": \"Maria\"}");
        assertThat(alerts()).isEmpty();
        assertThat(audit.readValuesToList()).extracting(AuditEvent::getKind).containsExactly(AuditKind.LATE);
    }

    @Test
    void aFailedCallGivesTheFallbackAtOnce() {
        measure("temperature", -5, 0);
        BackendRequest request = requests.readValuesToList().get(0);

        answer(request, BackendStatus.SERVER_ERROR, null);

        assertThat(alerts()).extracting(reply -> reply.getText().toString())
                .containsExactly("Freezer in store 12 is at -5 °C. Call the store.");
        assertThat(audit.readValuesToList()).filteredOn(e -> e.getKind() == AuditKind.BACKEND_RESPONSE)
                .extracting(AuditEvent::getStatus).containsExactly("SERVER_ERROR");
    }

    @Test
    void duplicateTelemetryMakesOneCall() {
        // Given the same warm measurement twice (an at-least-once source)
        measure("temperature", -5, 0);
        measure("temperature", -5, 0);
        measure("temperature", -4, 0.5);

        // Then one call, for one alert
        List<BackendRequest> sent = requests.readValuesToList();
        assertThat(sent).hasSize(1);
        answer(sent.get(0), BackendStatus.OK, "{\"name\": \"Maria\", \"phone\": \"1\"}");
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void aRuleWithoutCallsStillNotifiesAtOnceAndConversationsStillGetTheirAnswers() {
        measure("doorOpen", 1, 0);

        assertThat(requests.readValuesToList()).isEmpty();
        assertThat(alerts()).extracting(reply -> reply.getText().toString()).containsExactly("Freezer: the door is open.");
    }

    private void measure(String metric, double value, double minutes) {
        Instant at = START.plusMillis((long) (minutes * 60_000));
        telemetry.pipeInput("freezer-1", TelemetryEvent.newBuilder().setEventId("freezer-1/" + metric + "/" + at.toEpochMilli())
                .setDeviceId("freezer-1").setMetric(metric).setValue(value).setEventTime(at).setAttributes(Map.of()).build(), at);
    }

    /** What a worker writes: the answer keyed by the request's conversation id, on backend.responses. */
    private void answer(BackendRequest request, BackendStatus status, String result) {
        responses.pipeInput(request.getConversationId(), BackendResponse.newBuilder()
                .setRequestId(request.getRequestId()).setConversationId(request.getConversationId())
                .setConnector(request.getConnector()).setOperation(request.getOperation()).setStatus(status)
                .setResult(result).setError(status == BackendStatus.OK ? null : "backend said no").setLatencyMs(12).setAttempts(1)
                .setCompletedAt(START).build());
    }

    private List<ChatReply> alerts() {
        return replies.readValuesToList().stream().filter(reply -> reply.getKind() == ReplyKind.NOTIFICATION).toList();
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
