package io.parley.processor.nlu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How well messages were understood: accuracy, per-intent precision, recall and F1, a confusion
 * table, and the messages that went wrong. A prediction is an intent name, {@link #ASK} when the
 * bot would have asked "did you mean", or {@link #NONE} when it understood nothing.
 */
public final class NluReport {

    public static final String ASK = "(ask)";
    public static final String NONE = "(none)";

    /** One evaluated message. */
    public record Outcome(String text, String expected, String predicted, boolean slotsRight) {
        public boolean right() {
            return expected.equals(predicted) && slotsRight;
        }
    }

    private final String title;
    private final List<Outcome> outcomes = new ArrayList<>();

    public NluReport(String title) {
        this.title = title;
    }

    public void add(Outcome outcome) {
        outcomes.add(outcome);
    }

    public int size() {
        return outcomes.size();
    }

    public double accuracy() {
        return outcomes.isEmpty() ? 0 : (double) outcomes.stream().filter(Outcome::right).count() / outcomes.size();
    }

    public List<Outcome> wrong() {
        return outcomes.stream().filter(outcome -> !outcome.right()).toList();
    }

    /** Precision, recall and F1 of one intent. */
    public record Scores(double precision, double recall, double f1, int support) {
    }

    public Map<String, Scores> perIntent() {
        Map<String, Scores> scores = new TreeMap<>();
        for (String intent : new TreeSet<>(outcomes.stream().map(Outcome::expected).toList())) {
            long truePositives = outcomes.stream().filter(o -> o.expected().equals(intent) && o.predicted().equals(intent)).count();
            long predicted = outcomes.stream().filter(o -> o.predicted().equals(intent)).count();
            long actual = outcomes.stream().filter(o -> o.expected().equals(intent)).count();
            double precision = predicted == 0 ? 0 : (double) truePositives / predicted;
            double recall = actual == 0 ? 0 : (double) truePositives / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            scores.put(intent, new Scores(precision, recall, f1, (int) actual));
        }
        return scores;
    }

    /** expected → predicted → count. */
    public Map<String, Map<String, Integer>> confusion() {
        Map<String, Map<String, Integer>> table = new TreeMap<>();
        outcomes.forEach(o -> table.computeIfAbsent(o.expected(), e -> new TreeMap<>()).merge(o.predicted(), 1, Integer::sum));
        return table;
    }

    /** The report as a person reads it. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(title).append(": ").append(outcomes.size()).append(" messages, accuracy ")
                .append(percent(accuracy())).append('\n');
        out.append(String.format(Locale.ROOT, "  %-24s %9s %7s %6s %7s%n", "intent", "precision", "recall", "F1", "support"));
        perIntent().forEach((intent, s) -> out.append(String.format(Locale.ROOT, "  %-24s %9s %7s %6s %7d%n",
                intent, percent(s.precision()), percent(s.recall()), percent(s.f1()), s.support())));
        out.append("  confusion (expected -> predicted: count)\n");
        confusion().forEach((expected, row) -> out.append("    ").append(expected).append(" -> ").append(row).append('\n'));
        List<Outcome> wrong = wrong();
        if (!wrong.isEmpty()) {
            out.append("  misunderstood:\n");
            wrong.forEach(o -> out.append("    \"").append(o.text()).append("\": expected ").append(o.expected())
                    .append(", got ").append(o.predicted()).append(o.slotsRight() ? "" : " (slots differ)").append('\n'));
        }
        return out.toString();
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value * 100);
    }
}
