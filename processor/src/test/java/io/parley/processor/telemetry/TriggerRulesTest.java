package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.TelemetryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every rule kind through the processor's real topology, in event time, with hysteresis, disorder and duplicates. */
class TriggerRulesTest {

    @Test
    void thresholdFiresOnceAndReArmsOnlyAfterBeingFalseForRearmAfter() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline().freezer()) {
            // Given a freezer whose limit is -15 °C with rearmAfter 5m
            driver.measure("freezer-1", "temperature", -20, 0);
            driver.measure("freezer-1", "temperature", -12, 1);   // fires
            driver.measure("freezer-1", "temperature", -11, 2);   // still true: nothing
            driver.measure("freezer-1", "temperature", -20, 3);   // false since 3
            driver.measure("freezer-1", "temperature", -12, 4);   // true again within 5m: no second alert
            driver.measure("freezer-1", "temperature", -20, 5);   // false since 5
            driver.measure("freezer-1", "temperature", -20, 11);  // false for 6m: re-armed
            driver.measure("freezer-1", "temperature", -13, 12);  // fires again
            // When the grace period passes
            driver.settle();

            // Then the owner got two alerts, on their conversation, with the template filled in
            List<ChatReply> alerts = driver.alerts();
            assertThat(alerts).extracting(reply -> reply.getText().toString()).containsExactly(
                    "Freezer in store 12 is at -12 °C (limit -15 °C).",
                    "Freezer in store 12 is at -13 °C (limit -15 °C).");
            assertThat(alerts).allSatisfy(reply -> {
                assertThat(reply.getKind()).isEqualTo(ReplyKind.NOTIFICATION);
                assertThat(reply.getConversationId()).isEqualTo(TelemetryDriver.CONVERSATION);
                assertThat(reply.getData()).containsEntry("rule.name", "too-warm").containsEntry("device.id", "freezer-1");
            });
            List<AuditEvent> audit = driver.audit();
            assertThat(audit).filteredOn(e -> e.getKind() == AuditKind.ALERT).hasSize(2);
            assertThat(audit).filteredOn(e -> e.getKind() == AuditKind.RULE_STATE)
                    .extracting(AuditEvent::getStatus).containsExactly("REARMED");
            assertThat(audit).filteredOn(e -> e.getKind() == AuditKind.NOTIFICATION).hasSize(2);
        }
    }

    @Test
    void aDevicesOwnThresholdOverridesTheRuleDefault() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline()) {
            driver.device("freezer-1", "Ice cream freezer", "store 3", Map.of("temperature.max", -5.0));

            driver.measure("freezer-1", "temperature", -12, 0);
            driver.measure("freezer-1", "temperature", -4, 1);
            driver.settle();

            assertThat(driver.alertTexts()).containsExactly("Ice cream freezer in store 3 is at -4 °C (limit -5 °C).");
        }
    }

    @Test
    void heldRuleFiresWhenTheConditionHasHeldForItsDuration() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline().freezer()) {
            driver.measure("freezer-1", "fridgeTemperature", 9, 0);
            driver.measure("freezer-1", "fridgeTemperature", 9, 5);
            driver.measure("freezer-1", "fridgeTemperature", 5, 7);    // a dip starts the clock again
            driver.measure("freezer-1", "fridgeTemperature", 9, 8);
            driver.measure("freezer-1", "fridgeTemperature", 9, 17);   // held 9 minutes: not yet
            driver.settle();
            assertThat(driver.alerts()).isEmpty();

            driver.measure("freezer-1", "fridgeTemperature", 10, 18);  // held 10 minutes
            driver.settle();

            assertThat(driver.alertTexts()).containsExactly("Freezer has been above 8 °C for 10 minutes.");
        }
    }

    @Test
    void aggregateOverHoppingWindowsFiresWhenAWindowCloses() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline().freezer()) {
            // windows of 10m hopping by 5m: [0,10) [5,15) [10,20) ...
            driver.measure("freezer-1", "humidity", 70, 1);
            driver.measure("freezer-1", "humidity", 95, 6);
            driver.measure("freezer-1", "humidity", 95, 9);
            driver.measure("freezer-1", "humidity", 70, 12);
            driver.settle();
            // [-5,5) avg 70; [0,10) avg 86.67 closes at minute 10
            List<ChatReply> alerts = driver.alerts();
            assertThat(alerts).extracting(reply -> reply.getText().toString())
                    .containsExactly("Freezer: average humidity 86.67 % over 10 minutes.");
            assertThat(alerts.get(0).getData()).containsEntry("at", TelemetryDriver.START.plus(Duration.ofMinutes(10)).toString());
        }
    }

    @Test
    void countOverATumblingWindow() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline().freezer()) {
            for (int minute : new int[] {5, 10, 20, 40}) {
                driver.measure("freezer-1", "doorOpen", 1, minute);
            }
            driver.measure("freezer-1", "doorOpen", 1, 61);  // the next hour: the first window is complete
            driver.measure("freezer-1", "doorOpen", 1, 63);

            assertThat(driver.alertTexts()).containsExactly("Freezer: the door opened 4 times in 1 hour.");
        }
    }

    @Test
    void rateOfChangeComparesConsecutiveMeasurements() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline().freezer()) {
            driver.measure("freezer-1", "pressure", 100, 0);
            driver.measure("freezer-1", "pressure", 101, 1);    // 1 per minute
            driver.measure("freezer-1", "pressure", 102.5, 1.5); // 3 per minute
            driver.settle();

            assertThat(driver.alertTexts()).containsExactly("Freezer: pressure rising 3 per minute.");
        }
    }

    @Test
    void absenceIsDetectedByThePunctuatorAndFiresOncePerSilence() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline().freezer()) {
            driver.measure("freezer-1", "heartbeat", 1, 0);
            driver.advance(Duration.ofMinutes(14));
            assertThat(driver.alerts()).isEmpty();

            driver.advance(Duration.ofMinutes(2));
            assertThat(driver.alertTexts()).containsExactly("Freezer in store 12 has sent nothing for 15 minutes.");

            driver.advance(Duration.ofMinutes(30));
            assertThat(driver.alerts()).as("one alert per silence").isEmpty();

            // a heartbeat re-arms it; the next silence alerts again
            driver.measure("freezer-1", "heartbeat", 1, 47);
            driver.advance(Duration.ofMinutes(20));
            assertThat(driver.alerts()).hasSize(1);
            assertThat(driver.registry().find("parley.index.entries.read").tag("index", "telemetry-deadlines").counter().count())
                    .as("the punctuator read due entries only").isLessThanOrEqualTo(6);
        }
    }

    @Test
    void aMeasurementDuringTheSilencePushesTheAbsenceAlertBack() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline().freezer()) {
            driver.measure("freezer-1", "heartbeat", 1, 0);
            driver.advance(Duration.ofMinutes(10));
            driver.measure("freezer-1", "heartbeat", 1, 10);    // silence now ends at minute 25, not 15

            driver.advance(Duration.ofMinutes(6));
            assertThat(driver.alerts()).as("at minute 16").isEmpty();

            driver.advance(Duration.ofMinutes(10));
            assertThat(driver.alertTexts()).as("at minute 26").containsExactly("Freezer in store 12 has sent nothing for 15 minutes.");
        }
    }

    @Test
    void outOfOrderAndDuplicateTelemetryGiveTheSameAlertsAsOrderedInput() {
        List<TelemetryEvent> ordered = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 240; i++) {
            Instant at = TelemetryDriver.START.plusSeconds(10L * i);
            double temperature = -18 + 6 * Math.sin(i / 7.0) + random.nextGaussian();
            ordered.add(event("temperature", temperature, at));
            ordered.add(event("humidity", 80 + 10 * Math.sin(i / 11.0), at));
            ordered.add(event("pressure", 100 + (i % 20 < 3 ? i % 20 * 3 : 0), at));
        }
        List<TelemetryEvent> shuffled = new ArrayList<>();
        for (int block = 0; block < ordered.size(); block += 12) {
            // displaced by at most 40 s of event time, within the 1 minute grace; every tenth sent twice
            List<TelemetryEvent> part = new ArrayList<>(ordered.subList(block, Math.min(block + 12, ordered.size())));
            Collections.shuffle(part, random);
            for (int i = 0; i < part.size(); i++) {
                shuffled.add(part.get(i));
                if (i % 10 == 0) {
                    shuffled.add(part.get(i));
                }
            }
        }

        List<String> inOrder = alertsFor(ordered);
        List<String> disordered = alertsFor(shuffled);

        assertThat(inOrder).hasSizeGreaterThan(3);
        assertThat(disordered).isEqualTo(inOrder);
    }

    private static List<String> alertsFor(List<TelemetryEvent> input) {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline().freezer()) {
            input.forEach(driver::measure);
            driver.settle();
            driver.settle();
            return driver.alerts().stream().map(reply -> reply.getReplyId() + " " + reply.getText()).toList();
        }
    }

    private static TelemetryEvent event(String metric, double value, Instant at) {
        return TelemetryEvent.newBuilder().setEventId("freezer-1/" + metric + "/" + at.toEpochMilli()).setDeviceId("freezer-1")
                .setMetric(metric).setValue(value).setEventTime(at).setAttributes(Map.of()).build();
    }

    @Test
    void anAlertForADeviceNotInTheDeviceTableIsAuditedWithoutANotification() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline()) {
            driver.measure("stray-7", "temperature", -3, 0);
            driver.settle();

            assertThat(driver.alerts()).isEmpty();
            assertThat(driver.audit(AuditKind.ALERT)).singleElement()
                    .satisfies(event -> assertThat(event.getStatus()).isEqualTo("unknown-device"));
        }
    }

    @Test
    void malformedTelemetryGoesToTheDeadLetterTopicWithTheReasonAndTheStreamGoesOn() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules().ownerIsOnline().freezer()) {
            driver.measure("freezer-2", event("temperature", -1, TelemetryDriver.START));
            driver.measure(event("temperature", Double.NaN, TelemetryDriver.START));

            var dead = driver.deadLetters();
            assertThat(dead).hasSize(2);
            assertThat(dead).extracting(record -> new String(record.headers().lastHeader("__streams.errors.message").value(),
                            StandardCharsets.UTF_8))
                    .anySatisfy(message -> assertThat(message).contains("telemetry-key-not-device-id"))
                    .anySatisfy(message -> assertThat(message).contains("telemetry-value-not-finite"));

            driver.measure("freezer-1", "temperature", -2, 1);
            driver.settle();
            assertThat(driver.alerts()).hasSize(1);
        }
    }

    @Test
    void unreadableTelemetryGoesToTheDeadLetterTopic() {
        // TopologyTestDriver loses dead letters of unreadable records under exactly-once (see PoisonInputTest).
        try (TelemetryDriver driver = TelemetryDriver.with("telemetry/test-rules.yaml",
                config -> config.kafka("processing.guarantee", "at_least_once")).ownerIsOnline().freezer()) {
            byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
            driver.raw("freezer-1".getBytes(StandardCharsets.UTF_8), garbage);
            driver.measure("freezer-1", "temperature", -2, 1);
            driver.settle();

            assertThat(driver.deadLetters()).singleElement().satisfies(record -> assertThat(record.value()).isEqualTo(garbage));
            assertThat(driver.alerts()).hasSize(1);
        }
    }
}
