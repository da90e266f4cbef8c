package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.FlowSource;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.MuteCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "mute for 1 hour" answering an alert (the processor's real topology, TopologyTestDriver): the conversation step writes
 * a mute command for the alert's device (every rule: the demo intent's scope), the trigger-rules step applies it for the device's owner only, the
 * rule's next firing is suppressed, and once the mute has ended (event time) it alerts again.
 */
class MuteAlertTest {

    private static final String MUTED_REPLY = "Muted: no alerts from your Freezer for 1 hour.";

    private static TelemetryDriver driver() {
        return TelemetryDriver.with("telemetry/test-rules.yaml", builder -> builder.flows(List.of(
                FlowSource.classpath("flows/demo-shop.yaml"), FlowSource.classpath("flows/demo-alerts.yaml"))));
    }

    /** The freezer alerts at minute 1 (too-warm: above -15, re-arms after 5 minutes below). */
    private static void alertAtMinuteOne(TelemetryDriver driver) {
        driver.measure("freezer-1", "temperature", -12, 1);
        driver.settle();
        assertThat(driver.alertTexts()).containsExactly("Freezer in store 12 is at -12 °C (limit -15 °C).");
    }

    /** The condition clears for 6 minutes from {@code from} (re-arm), then holds again. */
    private static void clearsThenWarms(TelemetryDriver driver, double from) {
        driver.measure("freezer-1", "temperature", -20, from);
        driver.measure("freezer-1", "temperature", -20, from + 6);
        driver.measure("freezer-1", "temperature", -11, from + 7);
        driver.settle();
    }

    @Test
    void theOwnersMuteStopsTheNextAlertAndAlertsResumeAfterItEnds() {
        try (TelemetryDriver driver = driver().ownerIsOnline().freezer()) {
            // Given the freezer alerted
            alertAtMinuteOne(driver);
            driver.audit();

            // When the owner answers "mute for 1 hour"
            assertThat(driver.ownerSays("mute for 1 hour")).containsExactly(MUTED_REPLY);
            List<AuditEvent> muted = driver.audit(AuditKind.RULE_STATE);
            assertThat(muted).singleElement().satisfies(event -> {
                assertThat(event.getStatus()).isEqualTo("MUTED");
                assertThat(event.getAttributes()).containsEntry("device", "freezer-1").containsEntry("rule", "*");
            });

            // Then the rule's next firing within the hour is suppressed: no alert, audited SUPPRESSED
            clearsThenWarms(driver, 3);
            assertThat(driver.alertTexts()).isEmpty();
            assertThat(driver.audit(AuditKind.RULE_STATE)).extracting(AuditEvent::getStatus).containsExactly("REARMED", "SUPPRESSED");

            // And after the mute has ended (event time past the hour) it alerts again once it has re-armed
            clearsThenWarms(driver, 70);
            assertThat(driver.alertTexts()).containsExactly("Freezer in store 12 is at -11 °C (limit -15 °C).");
        }
    }

    @Test
    void theUserSaysHowLongAndTheReplySaysItBack() {
        try (TelemetryDriver driver = driver().ownerIsOnline().freezer()) {
            // Given the freezer alerted
            alertAtMinuteOne(driver);
            driver.audit();

            // When the owner answers "mute for 3 hours"
            assertThat(driver.ownerSays("mute for 3 hours"))
                    .containsExactly("Muted: no alerts from your Freezer for 3 hours.");

            // Then a firing after one hour is still suppressed, and one after three hours alerts
            clearsThenWarms(driver, 70);
            assertThat(driver.alertTexts()).isEmpty();
            clearsThenWarms(driver, 200);
            assertThat(driver.alertTexts()).containsExactly("Freezer in store 12 is at -11 °C (limit -15 °C).");
        }
    }

    @Test
    void unmuteResumesTheAlertsAtOnce() {
        try (TelemetryDriver driver = driver().ownerIsOnline().freezer()) {
            // Given the owner muted the freezer for an hour
            alertAtMinuteOne(driver);
            assertThat(driver.ownerSays("mute it")).containsExactly(MUTED_REPLY);
            driver.audit();

            // When the owner says "unmute"
            assertThat(driver.ownerSays("unmute")).containsExactly("Alerts from your Freezer are back on.");

            // Then it is audited UNMUTED, and the next firing within the hour alerts
            assertThat(driver.audit(AuditKind.RULE_STATE)).singleElement()
                    .satisfies(event -> assertThat(event.getStatus()).isEqualTo("UNMUTED"));
            clearsThenWarms(driver, 3);
            assertThat(driver.alertTexts()).containsExactly("Freezer in store 12 is at -11 °C (limit -15 °C).");
        }
    }

    @Test
    void aMuteFromSomeoneWhoDoesNotOwnTheDeviceIsAuditedAsSecurityAndDropped() {
        try (TelemetryDriver driver = driver().ownerIsOnline().freezer()) {
            // Given the freezer alerted
            alertAtMinuteOne(driver);
            driver.audit();

            // When mallory (not the owner) has a mute command written for it
            driver.mute(MuteCommand.newBuilder().setCommandId("mute/forged").setDeviceId("freezer-1").setUserId("mallory")
                    .setRule("too-warm").setMutedUntil(TelemetryDriver.START.plus(Duration.ofDays(1))).setAlertId(null)
                    .setConversationId("conv-mallory").setCreatedAt(TelemetryDriver.START.plusSeconds(90)).build());

            // Then it is audited SECURITY, and the freezer's next firing alerts as before
            assertThat(driver.audit(AuditKind.SECURITY)).singleElement()
                    .satisfies(event -> assertThat(event.getAttributes()).containsEntry("device", "freezer-1"));
            clearsThenWarms(driver, 3);
            assertThat(driver.alertTexts()).containsExactly("Freezer in store 12 is at -11 °C (limit -15 °C).");
        }
    }

    @Test
    void aFormerOwnerCannotMuteThroughTheConversation() {
        try (TelemetryDriver driver = driver().ownerIsOnline().freezer()) {
            // Given the freezer alerted alice, then was handed over to bob, who talks to the bot too
            alertAtMinuteOne(driver);
            driver.devicesOwnedBy("bob", "freezer-1");
            driver.says("conv-bob", "bob", "xyzzy plugh");
            driver.audit();

            // When alice answers "mute it" (her session still holds the alert)
            assertThat(driver.ownerSays("mute it")).containsExactly(MUTED_REPLY);

            // Then the rules refuse it (SECURITY), and the freezer's next firing alerts its owner bob
            assertThat(driver.audit(AuditKind.SECURITY)).singleElement()
                    .satisfies(event -> assertThat(event.getStatus()).isEqualTo("refused"));
            clearsThenWarms(driver, 3);
            assertThat(driver.alerts()).singleElement().satisfies(alert -> {
                assertThat(alert.getConversationId()).isEqualTo("conv-bob");
                assertThat(alert.getUserId()).isEqualTo("bob");
            });
        }
    }

    @Test
    void withoutAnAlertMuteSaysSoAndWritesNothing() {
        try (TelemetryDriver driver = driver().ownerIsOnline().freezer()) {
            assertThat(driver.ownerSays("mute it")).containsExactly("There is no device alert to mute in this conversation.");
            assertThat(driver.audit(AuditKind.RULE_STATE)).isEmpty();
            assertThat(driver.audit(AuditKind.SECURITY)).isEmpty();
        }
    }
}
