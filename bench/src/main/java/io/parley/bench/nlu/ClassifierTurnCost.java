package io.parley.bench.nlu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parley.bench.load.Workload;
import io.parley.processor.flow.FlowSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

/**
 * What the built-in classifier adds to a turn: the processor's CPU time per turn through the real
 * topology ({@link TopologyTurns}), in three comparisons.
 *
 * <ol>
 *   <li><b>S2 messages</b>: what the bench's S2 sends ({@link Workload#ORDER_STATUS_TEXT}), through the demo
 *       flows as shipped and through the same flows without {@code examples:} (keywords and patterns only),
 *       calls answered at once as S2's instant backend does. Issue 14's target (under 10 % slower) is about this.</li>
 *   <li><b>Same work</b>: messages a keyword or pattern understands against paraphrases only the classifier
 *       understands, pair by pair resolving to the same intent and slots, through the same flows (as shipped).
 *       Both runs must make the same backend requests and get as many replies; the run fails if they differ.
 *       The difference is what classifying a message costs a turn that needs it.</li>
 *   <li><b>As shipped</b> (the first measurement): the demo's held-out test set, a new conversation per
 *       message, calls never answered, with and without {@code examples:}. The two configurations do different
 *       work (the classifier understands more messages, which then start calls), so its ratio is not the
 *       classifier's cost; it stays for comparison with the earlier figures.</li>
 * </ol>
 *
 * CPU time, not wall-clock time, because other processes on the machine stretch the latter but hardly change
 * the former.
 *
 * <pre>java -cp bench.jar io.parley.bench.nlu.ClassifierTurnCost [--turns N] [--warm-up N] [--rounds N]</pre>
 *
 * Every comparison runs {@code --rounds} times (default 3), its two runs in alternating order, and each
 * configuration's figure is its median.
 */
public final class ClassifierTurnCost {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final FlowSource DEMO = FlowSource.classpath("flows/demo-shop.yaml");

    /**
     * A message a rule of the demo flows understands, and a paraphrase that only the classifier understands,
     * both asking for the same intent with the same slot values.
     */
    record SameWork(String rule, String paraphrase) {
    }

    /** The same-work pairs: order status, shipment tracking and stock checks, with their order numbers and SKUs. */
    static final List<SameWork> SAME_WORK = List.of(
            new SameWork("where is my order 1001", "what's going on with purchase 1001"),
            new SameWork("order status 1002", "info on purchase 1002"),
            new SameWork("track my order 1003", "follow delivery 1003"),
            new SameWork("is MUG-01 in stock", "can I still buy MUG-01"),
            new SameWork("stock of TEE-02", "any TEE-02 left"));

    private ClassifierTurnCost() {
    }

    /**
     * One comparison: the same harness twice.
     *
     * @param name which comparison
     * @param baseline what the first run sent through what
     * @param classified what the second run sent through what
     * @param baselineMicros CPU µs per turn of the first run
     * @param classifierMicros CPU µs per turn of the second run
     * @param baselineRequests backend requests of the first run
     * @param classifierRequests backend requests of the second run
     * @param baselineReplies replies of the first run
     * @param classifierReplies replies of the second run
     * @param roundSlowdowns each round's own {@link #slowdown()}, to show the spread of the medians
     */
    public record Comparison(String name, String baseline, String classified, double baselineMicros, double classifierMicros,
                             long baselineRequests, long classifierRequests, long baselineReplies, long classifierReplies,
                             List<Double> roundSlowdowns) {

        static Comparison of(String name, String baseline, String classified, TopologyTurns.Measured first,
                             TopologyTurns.Measured second) {
            return new Comparison(name, baseline, classified, first.cpuMicrosPerTurn(), second.cpuMicrosPerTurn(),
                    first.requests().size(), second.requests().size(), first.replies(), second.replies(),
                    List.of(second.cpuMicrosPerTurn() / first.cpuMicrosPerTurn() - 1));
        }

        /**
         * How much more CPU a turn takes with the classifier (0.05: 5 % more, so about 5 % fewer turns/s when CPU-bound): the
         * median of the rounds' own ratios, each of two runs next to each other, which varies less than the ratio of the medians.
         */
        public double slowdown() {
            double[] sorted = roundSlowdowns.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        }

        /** Whether the two runs made the same backend requests (by count) and got as many replies. */
        public boolean sameWork() {
            return baselineRequests == classifierRequests && baselineReplies == classifierReplies;
        }

        public String markdown(int turns, int rounds) {
            String verdict = !sameWork() ? "not comparable: different work" : slowdown() < 0.10 ? "met" : "MISSED";
            String spread = roundSlowdowns.stream().map(round -> String.format(Locale.ROOT, "%+.1f %%", round * 100))
                    .collect(Collectors.joining(", "));
            return String.format(Locale.ROOT, "| classifier turn cost, %s | %d turns each, median of %d | %s %.1f µs CPU/turn | %s %.1f µs CPU/turn "
                            + "| %+.1f %% (median of the rounds: %s) | backend requests %d vs %d, replies %d vs %d | target < 10 %%: %s |", name, turns, rounds,
                    baseline, baselineMicros, classified, classifierMicros, slowdown() * 100, spread, baselineRequests, classifierRequests,
                    baselineReplies, classifierReplies, verdict);
        }
    }

    /**
     * @param turns how many messages were timed per run
     * @param rounds how many times each comparison ran (each figure is the median of its rounds)
     * @param s2 the S2 messages, keywords-only flows vs flows with examples
     * @param sameWork rule-understood messages vs classifier-understood paraphrases, same requests
     * @param asShipped the first, unequal comparison
     */
    public record Result(int turns, int rounds, Comparison s2, Comparison sameWork, Comparison asShipped) {

        /** The three table rows, the comparisons the target is read from first. */
        public String markdown() {
            return String.join("\n", s2.markdown(turns, rounds), sameWork.markdown(turns, rounds), asShipped.markdown(turns, rounds));
        }
    }

    /** Runs the three comparisons once each: each run warms up, then times {@code turns} messages. */
    public static Result measure(List<String> heldOut, int warmUp, int turns, Path workDirectory) throws IOException {
        return measure(heldOut, warmUp, turns, 1, workDirectory);
    }

    /**
     * Runs the three comparisons {@code rounds} times, the two runs of a pair in alternating order (so neither
     * always comes first, on a colder JVM), after one untimed run that warms the JVM for all of them. Each
     * configuration's figure is its median over the rounds, and the slowdown the median of the rounds' own ratios.
     */
    public static Result measure(List<String> heldOut, int warmUp, int turns, int rounds, Path workDirectory) throws IOException {
        TopologyTurns.Flows keywordsOnly = TopologyTurns.Flows.load(
                FlowSource.file(withoutExamples(DEMO, workDirectory.resolve("demo-shop-keywords.yaml"))));
        TopologyTurns.Flows demo = TopologyTurns.Flows.load(DEMO);
        List<String> s2Texts = List.of(Workload.ORDER_STATUS_TEXT);
        List<String> everything = new ArrayList<>(heldOut);
        SAME_WORK.forEach(pair -> everything.addAll(List.of(pair.rule(), pair.paraphrase())));
        run(demo, everything, warmUp, warmUp, TopologyTurns.Mode.ANSWERED, workDirectory);
        List<Comparison> s2 = new ArrayList<>();
        List<Comparison> sameWork = new ArrayList<>();
        List<Comparison> asShipped = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            boolean reversed = round % 2 == 1;
            s2.add(pair("S2 messages", "keywords only", "with examples", reversed,
                    () -> run(keywordsOnly, s2Texts, warmUp, turns, TopologyTurns.Mode.ANSWERED, workDirectory),
                    () -> run(demo, s2Texts, warmUp, turns, TopologyTurns.Mode.ANSWERED, workDirectory)));
            sameWork.add(sameWork(demo, SAME_WORK, warmUp, turns, reversed, workDirectory));
            asShipped.add(pair("as shipped (unequal work)", "keywords only", "with examples", reversed,
                    () -> run(keywordsOnly, heldOut, warmUp, turns, TopologyTurns.Mode.UNANSWERED, workDirectory),
                    () -> run(demo, heldOut, warmUp, turns, TopologyTurns.Mode.UNANSWERED, workDirectory)));
        }
        return new Result(turns, rounds, median(s2), median(sameWork), median(asShipped));
    }

    /** A run of the harness that may fail with an I/O error (its state directory). */
    private interface TimedRun {
        TopologyTurns.Measured run() throws IOException;
    }

    private static Comparison pair(String name, String baseline, String classified, boolean reversed, TimedRun first, TimedRun second)
            throws IOException {
        TopologyTurns.Measured a;
        TopologyTurns.Measured b;
        if (reversed) {
            b = second.run();
            a = first.run();
        } else {
            a = first.run();
            b = second.run();
        }
        return Comparison.of(name, baseline, classified, a, b);
    }

    /** Each configuration's median CPU per turn over the rounds (their work is the same in every round). */
    static Comparison median(List<Comparison> rounds) {
        Comparison first = rounds.get(0);
        return new Comparison(first.name(), first.baseline(), first.classified(), median(rounds.stream().mapToDouble(Comparison::baselineMicros)),
                median(rounds.stream().mapToDouble(Comparison::classifierMicros)), first.baselineRequests(), first.classifierRequests(),
                first.baselineReplies(), first.classifierReplies(), rounds.stream().flatMap(round -> round.roundSlowdowns().stream()).toList());
    }

    private static double median(DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /**
     * The same-work comparison through the demo flows (as shipped).
     *
     * @throws IllegalStateException when the two runs made different backend requests or got a different number of
     *     replies: then the pairs do not do the same work and the ratio would mean nothing
     */
    static Comparison sameWork(TopologyTurns.Flows demo, List<SameWork> pairs, int warmUp, int turns, boolean reversed,
                               Path workDirectory) throws IOException {
        List<String> rules = pairs.stream().map(SameWork::rule).toList();
        List<String> paraphrases = pairs.stream().map(SameWork::paraphrase).toList();
        TopologyTurns.Measured byRules;
        TopologyTurns.Measured byClassifier;
        if (reversed) {
            byClassifier = run(demo, paraphrases, warmUp, turns, TopologyTurns.Mode.ANSWERED, workDirectory);
            byRules = run(demo, rules, warmUp, turns, TopologyTurns.Mode.ANSWERED, workDirectory);
        } else {
            byRules = run(demo, rules, warmUp, turns, TopologyTurns.Mode.ANSWERED, workDirectory);
            byClassifier = run(demo, paraphrases, warmUp, turns, TopologyTurns.Mode.ANSWERED, workDirectory);
        }
        if (!byRules.requests().equals(byClassifier.requests()) || byRules.replies() != byClassifier.replies()) {
            int first = firstDifference(byRules.requests(), byClassifier.requests());
            throw new IllegalStateException(String.format(Locale.ROOT, "The same-work runs did different work: %d vs %d backend requests, "
                            + "%d vs %d replies; first different request #%d: %s vs %s", byRules.requests().size(),
                    byClassifier.requests().size(), byRules.replies(), byClassifier.replies(), first,
                    first < byRules.requests().size() ? byRules.requests().get(first) : "none",
                    first < byClassifier.requests().size() ? byClassifier.requests().get(first) : "none"));
        }
        return Comparison.of("same work", "rules understand", "classifier understands", byRules, byClassifier);
    }

    private static int firstDifference(List<String> a, List<String> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    private static TopologyTurns.Measured run(TopologyTurns.Flows flows, List<String> texts, int warmUp, int turns, TopologyTurns.Mode mode,
                                              Path workDirectory) throws IOException {
        try (TopologyTurns topology = TopologyTurns.start(flows, workDirectory)) {
            topology.send(texts, warmUp, "warm-up", mode);
            return topology.send(texts, turns, "timed", mode);
        }
    }

    /** The flow file with every intent's {@code examples:} removed: no classifier is trained from it. */
    static Path withoutExamples(FlowSource flows, Path target) throws IOException {
        JsonNode root;
        try (InputStream in = flows.open()) {
            root = YAML.readTree(in);
        }
        root.path("intents").forEach(intent -> ((ObjectNode) intent).remove("examples"));
        YAML.writeValue(target.toFile(), root);
        return target;
    }

    public static void main(String[] args) throws IOException {
        int warmUp = 5_000;
        int turns = 20_000;
        int rounds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--turns" -> turns = Integer.parseInt(args[i + 1]);
                case "--warm-up" -> warmUp = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(1);
                }
            }
        }
        Path work = Files.createTempDirectory("parley-bench-nlu");
        List<String> heldOut = new ArrayList<>(ClassificationCost.texts(FlowSource.classpath("flows/demo-shop.nlu-test.yaml")));
        Result result = measure(heldOut, warmUp, turns, rounds, work);
        System.out.println(result.markdown());
    }
}
