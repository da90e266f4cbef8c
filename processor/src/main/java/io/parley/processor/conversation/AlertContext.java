package io.parley.processor.conversation;

import io.parley.schemas.state.Session;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The context a delivered trigger-rule alert opens in its owner's conversation, so the flow's next intents
 * can answer about it: {@code {{alert.device.id}}}, {@code {{alert.device.name}}},
 * {@code {{alert.device.location}}}, {@code {{alert.rule}}}, {@code {{alert.metric}}}, {@code {{alert.value}}}, {@code {{alert.at}}}.
 *
 * <p>An alert is a notification whose data carries {@code alert.id} (what the telemetry rule step writes,
 * see {@code io.parley.processor.telemetry.Alerts}). Only the fields named here are kept in the session
 * ({@code Session.alert}, a flat map); the latest alert replaces the previous one. Functional: no state, no clock.
 */
public final class AlertContext {

    /** The notification data key that marks an alert (and identifies it). */
    public static final String ALERT_ID = "alert.id";

    /** Session field name → the alert notification's data key it is taken from. */
    private static final Map<String, String> FROM_DATA = new LinkedHashMap<>();

    static {
        FROM_DATA.put("id", ALERT_ID);
        FROM_DATA.put("device.id", "device.id");
        FROM_DATA.put("device.name", "device.name");
        FROM_DATA.put("device.location", "device.location");
        FROM_DATA.put("rule", "rule.name");
        FROM_DATA.put("metric", "metric");
        FROM_DATA.put("value", "value");
        FROM_DATA.put("at", "at");
    }

    private AlertContext() {
    }

    /** Whether a notification's data is a trigger-rule alert's. */
    public static boolean isAlert(Map<String, String> notificationData) {
        return notificationData != null && notificationData.containsKey(ALERT_ID);
    }

    /** The session's alert map for an alert notification's data; empty when the data is not an alert's. */
    public static Map<String, String> fromNotification(Map<String, String> notificationData) {
        Map<String, String> alert = new LinkedHashMap<>();
        if (!isAlert(notificationData)) {
            return alert;
        }
        FROM_DATA.forEach((field, key) -> {
            String value = notificationData.get(key);
            if (value != null) {
                alert.put(field, value);
            }
        });
        return alert;
    }

    /**
     * The session after an alert was delivered into its conversation: the alert kept for the next intents (no
     * turn starts, nothing is sent). Empty (store nothing) when there is no session, the notification is not an
     * alert, or it was addressed to another user than the conversation's (only the owner's conversation learns
     * of the owner's device).
     */
    public static Optional<Session> delivered(Session stored, String notifiedUserId, Map<String, String> notificationData) {
        if (stored == null || !isAlert(notificationData) || !stored.getUserId().equals(notifiedUserId)) {
            return Optional.empty();
        }
        Session updated = SessionCopies.mutableCopy(stored);
        updated.setAlert(fromNotification(notificationData));
        return Optional.of(updated);
    }

    /** The template scope's {@code alert}: dotted session keys as nested maps ({@code device.id} → device → id). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> scope(Map<String, String> sessionAlert) {
        Map<String, Object> alert = new HashMap<>();
        if (sessionAlert == null) {
            return alert;
        }
        sessionAlert.forEach((key, value) -> {
            String[] parts = key.split("\\.");
            Map<String, Object> level = alert;
            for (int i = 0; i < parts.length - 1; i++) {
                Object next = level.computeIfAbsent(parts[i], name -> new HashMap<String, Object>());
                if (!(next instanceof Map)) {
                    return;
                }
                level = (Map<String, Object>) next;
            }
            level.put(parts[parts.length - 1], value);
        });
        return alert;
    }
}
