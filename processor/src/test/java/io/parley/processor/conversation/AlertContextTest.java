package io.parley.processor.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.TemplateModel;
import io.parley.schemas.state.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertContextTest {

    private static final Map<String, String> ALERT_DATA = Map.of(
            "alert.id", "alert/fridge-7/too-warm/1700000000000",
            "device.id", "fridge-7", "device.name", "Kitchen fridge", "device.location", "Lyon kitchen",
            "rule.name", "too-warm", "rule.kind", "threshold", "metric", "temperature", "value", "9.5",
            "threshold", "8", "at", "2023-11-14T22:13:20Z");

    @Test
    void anAlertsNotificationDataBecomesTheSessionsAlert() {
        // Given the data the telemetry rule step puts on an alert
        // When it is turned into the session's alert
        Map<String, String> alert = AlertContext.fromNotification(ALERT_DATA);

        // Then only the fields templates can use are kept, under their template names
        assertThat(alert).containsExactlyInAnyOrderEntriesOf(Map.of(
                "id", "alert/fridge-7/too-warm/1700000000000", "device.id", "fridge-7", "device.name", "Kitchen fridge",
                "device.location", "Lyon kitchen", "rule", "too-warm", "metric", "temperature", "value", "9.5",
                "at", "2023-11-14T22:13:20Z"));
    }

    @Test
    void aNotificationThatIsNotAnAlertOpensNoContext() {
        // Given an ordinary notification's data, When it is read, Then there is no alert
        assertThat(AlertContext.isAlert(Map.of("order", "A-1"))).isFalse();
        assertThat(AlertContext.fromNotification(Map.of("order", "A-1"))).isEmpty();
        assertThat(AlertContext.fromNotification(null)).isEmpty();
    }

    @Test
    void templatesSeeTheSessionsAlertAsNestedNames() {
        // Given a session holding an alert
        Session session = session(AlertContext.fromNotification(ALERT_DATA));

        // When the template scope is built
        @SuppressWarnings("unchecked")
        Map<String, Object> alert = (Map<String, Object>) TemplateScope.of(session, null).get(TemplateModel.ALERT);

        // Then alert.device.location, alert.rule, alert.value and alert.at resolve
        assertThat(alert.keySet()).containsAll(TemplateModel.ALERT_FIELDS);
        @SuppressWarnings("unchecked")
        Map<String, Object> device = (Map<String, Object>) alert.get("device");
        assertThat(device).containsEntry("id", "fridge-7").containsEntry("name", "Kitchen fridge")
                .containsEntry("location", "Lyon kitchen");
        assertThat(alert).containsEntry("rule", "too-warm").containsEntry("value", "9.5").containsEntry("at", "2023-11-14T22:13:20Z");
    }

    @Test
    void aSessionWithoutAlertGivesAnEmptyAlert() {
        // Given a session stored before alerts existed (the field's default), Then alert.* render as nothing
        assertThat((Map<?, ?>) TemplateScope.of(session(new LinkedHashMap<>()), null).get(TemplateModel.ALERT)).isEmpty();
    }

    @Test
    void aDeliveredAlertIsKeptInTheOwnersSessionOnly() {
        // Given the owner's conversation
        Session stored = session(new LinkedHashMap<>());

        // When an alert for the owner is delivered into it, Then the session keeps it; the stored value is untouched
        assertThat(AlertContext.delivered(stored, "owner-1", ALERT_DATA)).get()
                .satisfies(updated -> assertThat(updated.getAlert()).containsEntry("device.id", "fridge-7"));
        assertThat(stored.getAlert()).isEmpty();

        // And an alert addressed to another user, a plain notification, or no session change nothing
        assertThat(AlertContext.delivered(stored, "someone-else", ALERT_DATA)).isEmpty();
        assertThat(AlertContext.delivered(stored, "owner-1", Map.of("order", "A-1"))).isEmpty();
        assertThat(AlertContext.delivered(null, "owner-1", ALERT_DATA)).isEmpty();
    }

    private static Session session(Map<String, String> alert) {
        return Session.newBuilder()
                .setConversationId("c-1").setUserId("owner-1").setChannel("web")
                .setProfile(new LinkedHashMap<>()).setTurn(null).setLateTurns(new ArrayList<>()).setRecentTurns(new ArrayList<>())
                .setStartedAt(Instant.EPOCH).setLastActiveAt(Instant.EPOCH).setAlert(alert).build();
    }
}
