package io.parley.bridge;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One topic filter the bridge subscribes to, and how a JSON payload on it becomes a
 * {@code TelemetryEvent}.
 *
 * @param filter the MQTT topic filter ({@code devices/+/telemetry}); subscribed at QoS 1
 * @param deviceId where the device id comes from (often a topic level)
 * @param metric where the metric name comes from
 * @param value where the numeric value comes from
 * @param eventTime where the measurement time comes from (epoch millis or ISO-8601); null: arrival time
 * @param eventId where the measurement id comes from; null: derived from the topic and payload bytes
 * @param attributes further attributes by name; a missing one is left out
 */
public record Subscription(String filter, FieldSource deviceId, FieldSource metric, FieldSource value,
                           FieldSource eventTime, FieldSource eventId, Map<String, FieldSource> attributes) {

    public Subscription {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(value, "value");
        attributes = Map.copyOf(attributes);
    }

    /** Whether a message on {@code topic} falls under this filter ({@code +} one level, {@code #} the rest). */
    public boolean matches(String topic) {
        return matches(filter, topic);
    }

    static boolean matches(String filter, String topic) {
        List<String> f = List.of(filter.split("/", -1));
        List<String> t = List.of(topic.split("/", -1));
        // Filters starting with a wildcard do not match topics starting with $ (MQTT 3.1.1, 4.7.2).
        if (topic.startsWith("$") && (f.get(0).equals("+") || f.get(0).equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.size(); i++) {
            String level = f.get(i);
            if (level.equals("#")) {
                return true;
            }
            if (i >= t.size()) {
                return false;
            }
            if (!level.equals("+") && !level.equals(t.get(i))) {
                return false;
            }
        }
        return f.size() == t.size();
    }

    /**
     * Checks a filter as the broker would.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static void requireValidFilter(String filter) {
        if (filter.isEmpty() || filter.length() > 65_535) {
            throw new IllegalArgumentException("an MQTT topic filter of 1 to 65535 characters expected");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("# must be a whole level and the last one");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("+ must be a whole level");
            }
        }
    }
}
