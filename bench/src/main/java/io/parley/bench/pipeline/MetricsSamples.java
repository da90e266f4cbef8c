package io.parley.bench.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One scrape of a Prometheus text endpoint ({@code /metrics}), read into samples: the bench reads
 * a processor from outside, the way a monitoring system does, whichever JVM it runs in.
 */
final class MetricsSamples {

    /** One line of the exposition: a metric name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private MetricsSamples(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /**
     * Reads the Prometheus text format (version 0.0.4): comment lines are skipped; label values
     * may hold escaped quotes, backslashes and line breaks; a trailing timestamp is ignored.
     *
     * @throws IllegalArgumentException naming the line that is not a sample
     */
    static MetricsSamples parse(String text) {
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                samples.add(parseLine(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Line " + (i + 1) + " of the metrics is not a sample (" + e.getMessage() + "): " + line, e);
            }
        }
        return new MetricsSamples(samples);
    }

    private static Sample parseLine(String line) {
        int position = 0;
        while (position < line.length() && line.charAt(position) != '{' && line.charAt(position) != ' ') {
            position++;
        }
        String name = line.substring(0, position);
        Map<String, String> labels = new LinkedHashMap<>();
        if (position < line.length() && line.charAt(position) == '{') {
            position = readLabels(line, position + 1, labels);
        }
        String[] rest = line.substring(position).strip().split("\\s+");
        return new Sample(name, labels, parseValue(rest[0]));
    }

    /** Reads {@code key="value",...}} from {@code position}; returns the position after the closing brace. */
    private static int readLabels(String line, int position, Map<String, String> labels) {
        while (line.charAt(position) != '}') {
            int equals = line.indexOf('=', position);
            String key = line.substring(position, equals).strip();
            if (line.charAt(equals + 1) != '"') {
                throw new IllegalArgumentException("label " + key + " has no quoted value");
            }
            StringBuilder value = new StringBuilder();
            int i = equals + 2;
            for (char c = line.charAt(i); c != '"'; c = line.charAt(++i)) {
                if (c == '\\') {
                    char escaped = line.charAt(++i);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            position = i + 1;
            if (line.charAt(position) == ',') {
                position++;
            }
        }
        return position + 1;
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** The samples of a metric whose labels include {@code labels}. */
    List<Sample> named(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(sample -> sample.name().equals(name))
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /** The sum over the samples of a metric (zero when there are none); NaN samples are left out. */
    double sum(String name, Map<String, String> labels) {
        return named(name, labels).stream().mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).sum();
    }

    /** The largest sample of a metric, if there is one that is a number. */
    OptionalDouble max(String name, Map<String, String> labels) {
        return named(name, labels).stream().mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).max();
    }
}
