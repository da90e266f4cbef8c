package io.parley.processor.telemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The functional core of the trigger rules: a device's state, one input (a measurement, a wake-up, a mute) and the
 * wall-clock {@code now} in; the changed state and what happened to the rules out. No Kafka types.
 *
 * <p>Measurements are held back per device until the device's newest event time is {@code grace} past them, then
 * handed to the rules in event-time order. So measurements that arrive out of order (within the grace) or twice
 * (the same device, metric and event time) give the same alerts as ordered input. A device that goes silent is
 * woken by the punctuator a grace period later (wall clock) and its held measurements are handed over then.
 */
public final class RuleEngine {

    /** At most this many measurements of one device are held back; beyond it the oldest is handed over early. */
    static final int MAX_PENDING = 1_000;

    private final RuleBook book;
    private final Map<String, List<Rule>> byMetric = new HashMap<>();
    private final long graceMillis;

    public RuleEngine(RuleBook book) {
        this.book = book;
        this.graceMillis = book.grace().toMillis();
        for (Rule rule : book.rules()) {
            byMetric.computeIfAbsent(rule.metric(), m -> new ArrayList<>()).add(rule);
        }
    }

    public RuleBook book() {
        return book;
    }

    /** Whether any rule reads this metric (the others are not stored at all). */
    public boolean watches(String metric) {
        return byMetric.containsKey(metric);
    }

    /** How a measurement was taken. */
    public enum Intake {
        /** Held back or handed to the rules. */
        ACCEPTED,
        /** The same device, metric and event time was seen before. */
        DUPLICATE,
        /** Older than what the rules have already been given for this metric: past the grace period. */
        LATE
    }

    /** What one input did: how the measurement was taken (null for wake-ups) and the rules' transitions. */
    public record Result(Intake intake, List<RuleEvent> events) {
    }

    /** Hands a measurement to the device's rules (after holding it back for the grace period). */
    public Result onMeasurement(DeviceState state, String metric, double value, long eventTime, Map<String, Double> thresholds,
                                long now) {
        Long released = state.releasedUpTo.get(metric);
        if (released != null && eventTime <= released) {
            return new Result(eventTime == released ? Intake.DUPLICATE : Intake.LATE, List.of());
        }
        DeviceState.SampleKey key = new DeviceState.SampleKey(eventTime, metric);
        if (state.pending.putIfAbsent(key, value) != null) {
            return new Result(Intake.DUPLICATE, List.of());
        }
        state.maxEventTime = Math.max(state.maxEventTime, eventTime);
        List<RuleEvent> events = new ArrayList<>();
        long watermark = state.maxEventTime - graceMillis;
        Iterator<Map.Entry<DeviceState.SampleKey, Double>> held = state.pending.entrySet().iterator();
        while (held.hasNext()) {
            Map.Entry<DeviceState.SampleKey, Double> next = held.next();
            if (next.getKey().eventTime() > watermark && state.pending.size() <= MAX_PENDING) {
                break;
            }
            held.remove();
            release(state, next.getKey(), next.getValue(), thresholds, now, events);
        }
        scheduleWake(state, now);
        return new Result(Intake.ACCEPTED, events);
    }

    /**
     * The punctuator's visit at wall-clock {@code now}: hands over what a silent device left held back, closes its
     * windows whose end is a grace period past, and fires absence rules whose silence is due.
     */
    public List<RuleEvent> onWake(DeviceState state, Map<String, Double> thresholds, long now) {
        List<RuleEvent> events = new ArrayList<>();
        if (state.wakeAt != DeviceState.NONE && state.wakeAt <= now) {
            state.wakeAt = DeviceState.NONE;
            while (!state.pending.isEmpty()) {
                Map.Entry<DeviceState.SampleKey, Double> next = state.pending.pollFirstEntry();
                release(state, next.getKey(), next.getValue(), thresholds, now, events);
            }
            for (Rule rule : book.rules()) {
                if (rule.kind() == RuleKind.AGGREGATE && state.rules.containsKey(rule.name())) {
                    closeWindows(rule, state.rule(rule.name()), now - graceMillis, thresholds, now, events);
                }
            }
        }
        for (Rule rule : book.rules()) {
            if (rule.kind() != RuleKind.ABSENCE) {
                continue;
            }
            DeviceState.RuleState rs = state.rules.get(rule.name());
            if (rs == null || rs.absenceIndexed == DeviceState.NONE || rs.absenceIndexed > now) {
                continue;
            }
            if (rs.absenceDue != DeviceState.NONE && rs.absenceDue <= now) {
                long due = rs.absenceDue;
                rs.absenceDue = DeviceState.NONE;
                rs.absenceIndexed = DeviceState.NONE;
                hysteresis(rule, rs, true, due, rule.after().toMinutes(), 0, now, events);
            } else {
                // Measurements came since the entry was made: the silence is due later.
                rs.absenceIndexed = rs.absenceDue;
            }
        }
        scheduleWake(state, now);
        return events;
    }

    /**
     * Mutes alerts of {@code ruleName} (or of every rule when null) for the device until {@code until}: a rule that
     * becomes true at an event time before it is suppressed. The rule keeps its state meanwhile, so it does not fire the
     * moment the mute ends if nothing changed; once it has re-armed (false for {@code rearmAfter}), a measurement after
     * the mute alerts again.
     *
     * @return whether the rule is known
     */
    public boolean mute(DeviceState state, String ruleName, long until) {
        boolean known = false;
        for (Rule rule : book.rules()) {
            if (ruleName == null || rule.name().equals(ruleName)) {
                state.rule(rule.name()).mutedUntil = until;
                known = true;
            }
        }
        return known;
    }

    private void release(DeviceState state, DeviceState.SampleKey key, double value, Map<String, Double> thresholds, long now,
                         List<RuleEvent> events) {
        state.releasedUpTo.merge(key.metric(), key.eventTime(), Math::max);
        for (Rule rule : byMetric.getOrDefault(key.metric(), List.of())) {
            evaluate(rule, state.rule(rule.name()), value, key.eventTime(), thresholds, now, events);
        }
    }

    private void evaluate(Rule rule, DeviceState.RuleState rs, double value, long t, Map<String, Double> thresholds, long now,
                          List<RuleEvent> events) {
        double threshold = rule.thresholdFor(thresholds);
        switch (rule.kind()) {
            case THRESHOLD -> hysteresis(rule, rs, rule.holds(value, thresholds), t, value, threshold, now, events);
            case HELD -> {
                boolean holds = rule.holds(value, thresholds);
                if (holds && rs.trueSince == DeviceState.NONE) {
                    rs.trueSince = t;
                } else if (!holds) {
                    rs.trueSince = DeviceState.NONE;
                }
                boolean heldLongEnough = holds && t - rs.trueSince >= rule.held().toMillis();
                hysteresis(rule, rs, heldLongEnough, t, value, threshold, now, events);
            }
            case RATE -> {
                if (rs.lastTime != DeviceState.NONE && t > rs.lastTime) {
                    double rate = (value - rs.lastValue) / (t - rs.lastTime) * rule.per().toMillis();
                    hysteresis(rule, rs, rule.holds(rate, thresholds), t, rate, threshold, now, events);
                }
                rs.lastTime = t;
                rs.lastValue = value;
            }
            case AGGREGATE -> {
                // Measurements come in event-time order, so every window that ends by t is complete.
                closeWindows(rule, rs, t, thresholds, now, events);
                long advance = rule.advance().toMillis();
                long size = rule.window().toMillis();
                for (long start = Math.floorDiv(t, advance) * advance; start > t - size; start -= advance) {
                    rs.windows.computeIfAbsent(start, s -> new DeviceState.Window()).add(value);
                }
            }
            case ABSENCE -> {
                rs.lastSeen = Math.max(rs.lastSeen, t);
                rs.absenceDue = rs.lastSeen + rule.after().toMillis();
                if (rs.absenceIndexed == DeviceState.NONE) {
                    rs.absenceIndexed = rs.absenceDue;
                }
                hysteresis(rule, rs, false, t, 0, 0, now, events);
            }
        }
    }

    private void closeWindows(Rule rule, DeviceState.RuleState rs, long endBy, Map<String, Double> thresholds, long now,
                              List<RuleEvent> events) {
        long size = rule.window().toMillis();
        while (!rs.windows.isEmpty() && rs.windows.firstKey() + size <= endBy) {
            Map.Entry<Long, DeviceState.Window> closed = rs.windows.pollFirstEntry();
            double value = closed.getValue().value(rule.aggregate());
            hysteresis(rule, rs, rule.holds(value, thresholds), closed.getKey() + size, value, rule.thresholdFor(thresholds),
                    now, events);
        }
    }

    /** Fires once when the condition becomes true; re-arms after it has been false for {@code rearmAfter} (event time). */
    private static void hysteresis(Rule rule, DeviceState.RuleState rs, boolean condition, long t, double value, double threshold,
                                   long now, List<RuleEvent> events) {
        if (condition) {
            rs.falseSince = DeviceState.NONE;
            if (!rs.fired) {
                rs.fired = true;
                // Event time, like the rest of the rules: replayed or reordered input is muted the same way.
                boolean muted = rs.mutedUntil != DeviceState.NONE && t < rs.mutedUntil;
                events.add(new RuleEvent(rule, muted ? Transition.SUPPRESSED : Transition.FIRED, t, value, threshold));
            }
            return;
        }
        if (rs.fired) {
            if (rs.falseSince == DeviceState.NONE) {
                rs.falseSince = t;
            }
            if (t - rs.falseSince >= rule.rearmAfter().toMillis()) {
                rs.fired = false;
                rs.falseSince = DeviceState.NONE;
                events.add(new RuleEvent(rule, Transition.REARMED, t, value, threshold));
            }
        }
    }

    private void scheduleWake(DeviceState state, long now) {
        long wanted = DeviceState.NONE;
        if (!state.pending.isEmpty()) {
            wanted = now + Math.max(graceMillis, book.checkEvery().toMillis());
        } else {
            for (Rule rule : book.rules()) {
                DeviceState.RuleState rs = rule.kind() == RuleKind.AGGREGATE ? state.rules.get(rule.name()) : null;
                if (rs != null && !rs.windows.isEmpty()) {
                    long due = rs.windows.firstKey() + rule.window().toMillis() + graceMillis;
                    wanted = wanted == DeviceState.NONE ? due : Math.min(wanted, due);
                }
            }
        }
        if (wanted == DeviceState.NONE) {
            state.wakeAt = DeviceState.NONE;
        } else if (state.wakeAt == DeviceState.NONE || state.wakeAt > wanted) {
            // An earlier wake-up than needed is harmless (it looks and schedules again); moving it costs two writes.
            state.wakeAt = Math.max(0, wanted);
        }
    }

    /** What a rule did for a device. */
    public enum Transition {
        /** It became true: an alert goes to the owner. */
        FIRED,
        /** It became true while muted: no alert, but the rule counts as fired (no alert when the mute ends). */
        SUPPRESSED,
        /** It was false for {@code rearmAfter}: the next time it becomes true it fires again. */
        REARMED
    }

    /**
     * @param eventTime the event time at which it happened (a measurement's, a window's end, an absence's due time)
     * @param value the measured value, aggregate, rate, or minutes of silence
     * @param threshold the threshold in force (the device's own or the rule's)
     */
    public record RuleEvent(Rule rule, Transition transition, long eventTime, double value, double threshold) {
    }
}
