package io.parley.processor.telemetry;

import io.parley.schemas.NotificationPriority;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One trigger rule of the rules file, validated.
 *
 * @param name unique within the file; part of alert ids, so renaming a rule starts its state afresh
 * @param metric the metric of the telemetry it watches ({@code temperature})
 * @param kind what it watches for
 * @param above true: the condition is "greater than the threshold"; false: "less than"
 * @param threshold the default threshold; a device's own threshold named {@code deviceThreshold} wins
 * @param deviceThreshold the name of the per-device threshold in {@code Device.thresholds} that overrides {@code threshold}
 * @param held {@link RuleKind#HELD}: how long the condition must hold; else zero
 * @param aggregate {@link RuleKind#AGGREGATE}: the aggregate; else null
 * @param window {@link RuleKind#AGGREGATE}: the window size; else zero
 * @param advance {@link RuleKind#AGGREGATE}: how far windows hop (equal to {@code window}: tumbling); else zero
 * @param per {@link RuleKind#RATE}: the change is measured per this duration; else zero
 * @param after {@link RuleKind#ABSENCE}: silence longer than this fires; else zero
 * @param rearmAfter hysteresis: after firing, the condition must be false this long before the rule can fire again
 * @param message the notification template ({@code {{device.name}}}, {@code {{value}}}, ...)
 * @param priority the notification's priority
 * @param calls the backend calls made before notifying (none: the alert goes out at once)
 * @param fallback the message template when a call failed, was refused or came too late; null: {@code message}
 *     without the missing results
 * @param callDeadline how long the alert waits for its calls' answers (zero without calls)
 */
public record Rule(String name, String metric, RuleKind kind, boolean above, double threshold, String deviceThreshold,
                   Duration held, Aggregate aggregate, Duration window, Duration advance, Duration per, Duration after,
                   Duration rearmAfter, String message, NotificationPriority priority, List<RuleCall> calls,
                   String fallback, Duration callDeadline) {

    /** A rule that makes no calls. */
    public Rule(String name, String metric, RuleKind kind, boolean above, double threshold, String deviceThreshold,
                Duration held, Aggregate aggregate, Duration window, Duration advance, Duration per, Duration after,
                Duration rearmAfter, String message, NotificationPriority priority) {
        this(name, metric, kind, above, threshold, deviceThreshold, held, aggregate, window, advance, per, after, rearmAfter,
                message, priority, List.of(), null, Duration.ZERO);
    }

    public Rule {
        calls = List.copyOf(calls);
        Objects.requireNonNull(callDeadline, "callDeadline");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rearmAfter, "rearmAfter");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(priority, "priority");
    }

    /** Whether the rule makes backend calls before it notifies. */
    public boolean makesCalls() {
        return !calls.isEmpty();
    }

    /** Whether {@code value} meets the condition, with the device's own threshold when it has one. */
    boolean holds(double value, Map<String, Double> deviceThresholds) {
        double limit = thresholdFor(deviceThresholds);
        return above ? value > limit : value < limit;
    }

    double thresholdFor(Map<String, Double> deviceThresholds) {
        Double own = deviceThreshold == null ? null : deviceThresholds.get(deviceThreshold);
        return own != null ? own : threshold;
    }
}
