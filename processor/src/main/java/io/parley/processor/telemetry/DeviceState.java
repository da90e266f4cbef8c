package io.parley.processor.telemetry;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the rules remember about one device (store {@code telemetry-rules}, key: device id). Mutable: it is read
 * from the store, changed by {@link RuleEngine} for one input, and written back, all inside one Streams task.
 */
public final class DeviceState {

    /** "Not set" for times. */
    public static final long NONE = Long.MIN_VALUE;

    /** The newest event time seen for the device. */
    long maxEventTime = NONE;
    /** Per metric, the event time of the last measurement handed to the rules; older ones arriving now are late. */
    final Map<String, Long> releasedUpTo = new TreeMap<>();
    /** Measurements held back for the grace period, in event-time order, by (event time, metric). */
    final TreeMap<SampleKey, Double> pending = new TreeMap<>();
    /** When (wall clock) the punctuator should look at this device again; {@link #NONE} when nothing is waiting. */
    long wakeAt = NONE;
    /** Per rule, by rule name (sorted, so equal states serialise to equal bytes). */
    final Map<String, RuleState> rules = new TreeMap<>();

    RuleState rule(String name) {
        return rules.computeIfAbsent(name, n -> new RuleState());
    }

    /** The deadline-index references this state wants registered, with their due times. */
    Map<String, Long> deadlines(String deviceId) {
        Map<String, Long> due = new HashMap<>();
        if (wakeAt != NONE) {
            due.put(wakeReference(deviceId), wakeAt);
        }
        rules.forEach((name, state) -> {
            if (state.absenceIndexed != NONE) {
                due.put(absenceReference(name, deviceId), state.absenceIndexed);
            }
        });
        return due;
    }

    /**
     * What this state has in the deadline index, to compare before and after an input without building the index's
     * references: the wake-up time and, by rule name, the absence entries' due times.
     */
    Marks marks() {
        Map<String, Long> absences = null;
        for (Map.Entry<String, RuleState> rule : rules.entrySet()) {
            if (rule.getValue().absenceIndexed != NONE) {
                if (absences == null) {
                    absences = new HashMap<>(4);
                }
                absences.put(rule.getKey(), rule.getValue().absenceIndexed);
            }
        }
        return new Marks(wakeAt, absences == null ? Map.of() : absences);
    }

    static String wakeReference(String deviceId) {
        return "wake/" + deviceId;
    }

    static String absenceReference(String ruleName, String deviceId) {
        return "absent/" + ruleName + "/" + deviceId;
    }

    /** @see #marks() */
    record Marks(long wakeAt, Map<String, Long> absences) {
    }

    /** A held-back measurement's position: event time, then metric. */
    record SampleKey(long eventTime, String metric) implements Comparable<SampleKey> {
        @Override
        public int compareTo(SampleKey other) {
            int byTime = Long.compare(eventTime, other.eventTime);
            return byTime != 0 ? byTime : metric.compareTo(other.metric);
        }
    }

    /** One rule's memory for one device. */
    static final class RuleState {
        /** Fired and not yet re-armed. */
        boolean fired;
        /** Since when (event time) the condition has been false while fired; {@link #NONE} otherwise. */
        long falseSince = NONE;
        /** Since when the raw condition has held (held rules). */
        long trueSince = NONE;
        /** The previous measurement (rate rules). */
        long lastTime = NONE;
        double lastValue;
        /** Open windows by start (aggregate rules). */
        final TreeMap<Long, Window> windows = new TreeMap<>();
        /** The newest measurement (absence rules) and when silence becomes an alert. */
        long lastSeen = NONE;
        long absenceDue = NONE;
        /**
         * The due time of the rule's entry in the deadline index: not moved on every measurement (two writes each),
         * but left early; when it comes due before {@link #absenceDue}, the punctuator registers the later time.
         */
        long absenceIndexed = NONE;
        /** Alerts of this rule for this device are not sent before this wall-clock instant. */
        long mutedUntil = NONE;
    }

    /** An aggregate window's running values. */
    static final class Window {
        long count;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(double value) {
            count++;
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }

        double value(Aggregate aggregate) {
            return switch (aggregate) {
                case AVG -> sum / count;
                case MIN -> min;
                case MAX -> max;
                case COUNT -> count;
            };
        }
    }
}
