package io.parley.processor.telemetry;

import io.parley.processor.audit.AuditTrail;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.Device;
import io.parley.schemas.Notification;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns what a rule did into records: the owner's {@link Notification} (rendered by the notification delivery
 * step, with the user directory, like any notification) and the audit record. Ids are deterministic (device,
 * rule, event time), so an alert produced again after a crash under at-least-once is delivered once.
 */
final class Alerts {

    private final AuditTrail audit;

    Alerts(AuditTrail audit) {
        this.audit = audit;
    }

    static String alertId(String deviceId, RuleEngine.RuleEvent event) {
        return "alert/" + deviceId + "/" + event.rule().name() + "/" + event.eventTime();
    }

    /** The values a rule's message can use; they travel with the notification as its data. */
    static Map<String, String> values(String deviceId, Device device, RuleEngine.RuleEvent event) {
        Rule rule = event.rule();
        Map<String, String> data = new LinkedHashMap<>();
        data.put("alert.id", alertId(deviceId, event));
        data.put("device.id", deviceId);
        data.put("device.name", device == null ? deviceId : device.getName());
        data.put("device.location", device == null || device.getLocation() == null ? "" : device.getLocation());
        data.put("rule.name", rule.name());
        data.put("rule.kind", rule.kind().label());
        data.put("metric", rule.metric());
        data.put("value", number(event.value()));
        if (rule.kind() != RuleKind.ABSENCE) {
            data.put("threshold", number(event.threshold()));
        }
        Duration lasting = rule.kind() == RuleKind.HELD ? rule.held() : rule.kind() == RuleKind.ABSENCE ? rule.after()
                : rule.kind() == RuleKind.AGGREGATE ? rule.window() : rule.kind() == RuleKind.RATE ? rule.per() : null;
        if (lasting != null) {
            data.put("for", human(lasting));
        }
        data.put("at", Instant.ofEpochMilli(event.eventTime()).toString());
        return data;
    }

    Notification notification(String deviceId, Device device, RuleEngine.RuleEvent event, long now) {
        return Notification.newBuilder()
                .setNotificationId(alertId(deviceId, event))
                .setUserId(device.getOwnerUserId())
                .setChannel(null)
                .setText(null)
                .setTemplate(event.rule().message())
                .setData(values(deviceId, device, event))
                .setPriority(event.rule().priority())
                .setExpiresAt(null)
                .setCreatedAt(Instant.ofEpochMilli(now))
                .build();
    }

    /** ALERT for a firing, RULE_STATE for the other transitions. Devices not in the device table have no owner to name. */
    AuditEvent audit(String deviceId, Device device, RuleEngine.RuleEvent event, long now) {
        AuditKind kind = event.transition() == RuleEngine.Transition.FIRED ? AuditKind.ALERT : AuditKind.RULE_STATE;
        String status = device == null && kind == AuditKind.ALERT ? "unknown-device" : event.transition().name();
        String owner = device == null ? "device:" + deviceId : device.getOwnerUserId();
        return audit.entry(kind, alertId(deviceId, event) + "/" + event.transition().name().toLowerCase(Locale.ROOT),
                        owner, now)
                .event(alertId(deviceId, event))
                .status(status)
                .attribute("device", deviceId)
                .attribute("rule", event.rule().name())
                .attribute("ruleKind", event.rule().kind().label())
                .attribute("metric", event.rule().metric())
                .attribute("value", number(event.value()))
                .attribute("eventTime", Instant.ofEpochMilli(event.eventTime()).toString())
                .build();
    }

    /** A value as people read it: at most two decimals, no trailing zeros. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + (seconds == 3600 ? " hour" : " hours");
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return seconds / 60 + (seconds == 60 ? " minute" : " minutes");
        }
        return seconds == 1 ? "1 second" : seconds + " seconds";
    }
}
