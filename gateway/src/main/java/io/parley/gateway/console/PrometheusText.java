package io.parley.gateway.console;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (version 0.0.4), as the worker's {@code /metrics}
 * page writes it: one sample per line, {@code name{label="value",...} value [timestamp]}, comments
 * and blank lines skipped. A line that does not parse is skipped, not fatal: a metrics page is
 * someone else's output.
 */
public final class PrometheusText {

    /** One sample: a metric name, its labels and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {

        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private PrometheusText() {
    }

    public static List<Sample> parse(String page) {
        List<Sample> samples = new ArrayList<>();
        for (String line : page.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Sample sample = sample(trimmed);
            if (sample != null) {
                samples.add(sample);
            }
        }
        return samples;
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
            if (i < 0) {
                return null;
            }
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return null;
        }
        double value;
        try {
            value = switch (rest[0]) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(rest[0]);
            };
        } catch (NumberFormatException e) {
            return null;
        }
        return new Sample(name, Collections.unmodifiableMap(labels), value);
    }

    /** Reads {@code key="value",...}} from {@code start}; returns the index after '}', or -1. */
    private static int labels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int keyStart = i;
            while (i < line.length() && isNameChar(line.charAt(i))) {
                i++;
            }
            if (i == keyStart || i + 1 >= line.length() || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                return -1;
            }
            String key = line.substring(keyStart, i);
            i += 2;
            StringBuilder value = new StringBuilder();
            while (i < line.length() && line.charAt(i) != '"') {
                char v = line.charAt(i);
                if (v == '\\' && i + 1 < line.length()) {
                    char escaped = line.charAt(++i);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(v);
                }
                i++;
            }
            if (i >= line.length()) {
                return -1;
            }
            labels.put(key, value.toString());
            i++;
        }
        return -1;
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':';
    }
}
