package io.parley.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.schemas.TelemetryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryMappingTest {

    private static final Instant ARRIVAL = Instant.parse("2026-12-04T08:00:00Z");

    private static final Subscription DEVICES = new Subscription("devices/+/telemetry",
            FieldSource.parse("topic:1"), FieldSource.parse("/metric"), FieldSource.parse("/value"),
            FieldSource.parse("/ts"), FieldSource.parse("/id"), Map.of("unit", FieldSource.parse("/unit")));
    private static final Subscription FREEZERS = new Subscription("freezers/#",
            FieldSource.parse("/sensor/serial"), FieldSource.parse("const:temperature"), FieldSource.parse("/sensor/t"),
            null, null, Map.of());

    private final TelemetryMapping mapping = new TelemetryMapping(List.of(DEVICES, FREEZERS));

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPayloadIsMappedByPointersAndTheDeviceIdComesFromTheTopic() throws UnmappableMessage {
        TelemetryEvent event = mapping.map("devices/freezer-1/telemetry",
                json("{\"id\":\"m-1\",\"metric\":\"temperature\",\"value\":-14.5,\"ts\":1764835200000,\"unit\":\"C\"}"), ARRIVAL);

        assertThat(event.getDeviceId()).isEqualTo("freezer-1");
        assertThat(event.getEventId()).isEqualTo("m-1");
        assertThat(event.getMetric()).isEqualTo("temperature");
        assertThat(event.getValue()).isEqualTo(-14.5);
        assertThat(event.getEventTime()).isEqualTo(Instant.ofEpochMilli(1764835200000L));
        assertThat(event.getAttributes()).containsEntry("unit", "C")
                .containsEntry(TelemetryMapping.MQTT_TOPIC_ATTRIBUTE, "devices/freezer-1/telemetry");
    }

    @Test
    void isoTimesTextNumbersAndBooleansAreAccepted() throws UnmappableMessage {
        TelemetryEvent door = mapping.map("devices/locker-7/telemetry",
                json("{\"id\":\"m-2\",\"metric\":\"doorOpen\",\"value\":true,\"ts\":\"2026-12-04T07:59:00Z\"}"), ARRIVAL);
        TelemetryEvent text = mapping.map("devices/locker-7/telemetry",
                json("{\"id\":\"m-3\",\"metric\":\"battery\",\"value\":\" 87.5 \",\"ts\":1}"), ARRIVAL);

        assertThat(door.getValue()).isEqualTo(1.0);
        assertThat(door.getEventTime()).isEqualTo(Instant.parse("2026-12-04T07:59:00Z"));
        assertThat(door.getAttributes()).doesNotContainKey("unit");
        assertThat(text.getValue()).isEqualTo(87.5);
    }

    @Test
    void withoutTimeAndIdTheArrivalTimeAndAStableDerivedIdAreUsed() throws UnmappableMessage {
        byte[] payload = json("{\"sensor\":{\"serial\":\"F-12\",\"t\":-18}}");

        TelemetryEvent first = mapping.map("freezers/store-12/back", payload, ARRIVAL);
        TelemetryEvent again = mapping.map("freezers/store-12/back", payload, ARRIVAL.plusSeconds(5));
        TelemetryEvent elsewhere = mapping.map("freezers/store-13/back", payload, ARRIVAL);

        assertThat(first.getDeviceId()).isEqualTo("F-12");
        assertThat(first.getMetric()).isEqualTo("temperature");
        assertThat(first.getEventTime()).isEqualTo(ARRIVAL);
        assertThat(again.getEventId()).as("a redelivery has the same id").isEqualTo(first.getEventId());
        assertThat(elsewhere.getEventId()).isNotEqualTo(first.getEventId());
    }

    @Test
    void malformedPayloadsAreRefusedWithAReasonThatDoesNotQuoteThem() {
        assertThatThrownBy(() -> mapping.map("devices/d/telemetry", json("{\"secret-pin\": 1234"), ARRIVAL))
                .isInstanceOf(UnmappableMessage.class)
                .hasMessageStartingWith("payload is not JSON (line 1")
                .message().doesNotContain("secret-pin").doesNotContain("1234");
        assertThatThrownBy(() -> mapping.map("devices/d/telemetry", json(""), ARRIVAL))
                .hasMessageContaining("payload is empty");
    }

    @Test
    void eachMissingOrWrongFieldIsNamedByItsSource() {
        assertThatThrownBy(() -> mapping.map("devices/d/telemetry", json("{\"id\":\"x\",\"value\":1,\"ts\":1}"), ARRIVAL))
                .hasMessage("metric from /metric: missing");
        assertThatThrownBy(() -> mapping.map("devices/d/telemetry",
                json("{\"id\":\"x\",\"metric\":\"t\",\"value\":\"warm\",\"ts\":1}"), ARRIVAL))
                .hasMessage("value from /value: not a number");
        assertThatThrownBy(() -> mapping.map("devices/d/telemetry",
                json("{\"id\":\"x\",\"metric\":\"t\",\"value\":{\"a\":1},\"ts\":1}"), ARRIVAL))
                .hasMessage("value from /value: not a number");
        assertThatThrownBy(() -> mapping.map("devices/d/telemetry",
                json("{\"id\":\"x\",\"metric\":\"t\",\"value\":1,\"ts\":\"yesterday\"}"), ARRIVAL))
                .hasMessage("eventTime from /ts: neither epoch milliseconds nor an ISO-8601 instant");
        assertThatThrownBy(() -> mapping.map("devices//telemetry",
                json("{\"id\":\"x\",\"metric\":\"t\",\"value\":1,\"ts\":1}"), ARRIVAL))
                .hasMessage("deviceId from topic:1: missing");
        assertThatThrownBy(() -> mapping.map("other/topic", json("{}"), ARRIVAL))
                .hasMessage("no subscription's filter matches the topic");
    }

    @Test
    void anOversizedPayloadIsRefusedWithoutParsing() {
        byte[] big = new byte[TelemetryMapping.MAX_PAYLOAD_BYTES + 1];
        assertThatThrownBy(() -> mapping.map("devices/d/telemetry", big, ARRIVAL))
                .hasMessageContaining("above the limit");
    }

    @Test
    void filtersMatchAsTheBrokerDoes() {
        assertThat(Subscription.matches("devices/+/telemetry", "devices/a/telemetry")).isTrue();
        assertThat(Subscription.matches("devices/+/telemetry", "devices/a/b/telemetry")).isFalse();
        assertThat(Subscription.matches("devices/#", "devices")).isTrue();
        assertThat(Subscription.matches("devices/#", "devices/a/b")).isTrue();
        assertThat(Subscription.matches("devices/a", "devices/a/b")).isFalse();
        assertThat(Subscription.matches("+/status", "$SYS/status")).isFalse();
        assertThatThrownBy(() -> Subscription.requireValidFilter("devices/#/x")).hasMessageContaining("last one");
        assertThatThrownBy(() -> Subscription.requireValidFilter("devices/a+")).hasMessageContaining("whole level");
    }
}
