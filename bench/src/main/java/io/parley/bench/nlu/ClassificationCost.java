package io.parley.bench.nlu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.processor.flow.Timing;
import io.parley.processor.flow.Understanding;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Issue 14's benchmark of the built-in classifier: what understanding one message costs (title,
 * rules, then the classifier, as a turn does it), against the target of 0.2 ms per message. A
 * micro-measurement in one thread, outside the scenario run (the default bench run does not
 * include it):
 *
 * <pre>java -cp bench.jar io.parley.bench.nlu.ClassificationCost [--flows SPEC,...] [--tests SPEC] [--warm-up N] [--messages N]</pre>
 *
 * The messages are the texts of a test set (the demo's held-out one by default), sent round-robin. The command
 * line also runs them through the same flows without {@code examples:} (title and rules only) and prints the
 * difference: the classifier's part of the cost.
 */
public final class ClassificationCost {

    /** The target per message on the 2-core reference machine. */
    public static final Duration TARGET = Duration.ofNanos(200_000);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ClassificationCost() {
    }

    /**
     * What one run measured.
     *
     * @param messages how many messages were timed
     * @param trainingMillis loading the flows and training the classifier, in milliseconds
     * @param meanMicros mean time to understand a message, µs
     * @param p50Micros median, µs
     * @param p99Micros 99th percentile, µs
     * @param understood how many of the timed messages got an intent (not ambiguous, not understood)
     * @param cpuMicros the measuring thread's CPU time per message, µs (ThreadMXBean): what the target is checked
     *     against, because other processes on the machine stretch wall-clock times but hardly change CPU time
     */
    public record Result(int messages, long trainingMillis, double meanMicros, double p50Micros, double p99Micros, int understood,
                         double cpuMicros) {

        /** Whether the CPU time per message is within {@link #TARGET}. */
        public boolean withinTarget() {
            return cpuMicros * 1_000 <= TARGET.toNanos();
        }

        /** One markdown table row: CPU time per message first (the figure), wall-clock times after (load-dependent). */
        public String markdown() {
            return String.format(Locale.ROOT, "| classification cost | %d messages | CPU %.1f µs/message | wall mean %.1f µs | "
                            + "p50 %.1f µs | p99 %.1f µs | training %d ms | target ≤ %d µs CPU: %s |", messages, cpuMicros, meanMicros,
                    p50Micros, p99Micros, trainingMillis, TARGET.toNanos() / 1_000, withinTarget() ? "met" : "MISSED");
        }
    }

    /** Loads the flows (training the classifier), warms up, then times {@code messages} messages. */
    public static Result measure(List<FlowSource> flows, List<String> texts, int warmUp, int messages) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no messages to classify");
        }
        long loading = System.nanoTime();
        FlowCatalog catalog = new FlowLoader(new TemplateCompiler(), new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true))
                .load(flows);
        long trainingMillis = (System.nanoTime() - loading) / 1_000_000;
        int sink = 0;
        for (int i = 0; i < warmUp; i++) {
            sink += catalog.understand(texts.get(i % texts.size())) instanceof Understanding.Matched ? 1 : 0;
        }
        Histogram nanos = new Histogram(3_600_000_000_000L, 3);
        int understood = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < messages; i++) {
            String text = texts.get(i % texts.size());
            long start = System.nanoTime();
            Understanding understanding = catalog.understand(text);
            nanos.recordValue(Math.max(1, System.nanoTime() - start));
            understood += understanding instanceof Understanding.Matched ? 1 : 0;
        }
        // Includes the histogram's recording, a few tens of nanoseconds per message: the figure errs high.
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
        if (sink < 0) {
            throw new AssertionError("unreachable");   // keeps the warm-up's results alive
        }
        return new Result(messages, trainingMillis, nanos.getMean() / 1_000, nanos.getValueAtPercentile(50) / 1_000.0,
                nanos.getValueAtPercentile(99) / 1_000.0, understood, cpuNanos / 1_000.0 / messages);
    }

    /** The texts of a test set ({@code tests: [{text: ...}]}), as {@code parley nlu evaluate} reads it. */
    public static List<String> texts(FlowSource testSet) throws IOException {
        JsonNode root;
        try (InputStream in = testSet.open()) {
            root = YAML.readTree(in);
        }
        List<String> texts = new ArrayList<>();
        root.path("tests").forEach(test -> {
            if (test.path("text").isTextual()) {
                texts.add(test.path("text").asText());
            }
        });
        return texts;
    }

    public static void main(String[] args) throws IOException {
        List<FlowSource> flows = new ArrayList<>(List.of(FlowSource.classpath("flows/demo-shop.yaml")));
        FlowSource tests = FlowSource.classpath("flows/demo-shop.nlu-test.yaml");
        int warmUp = 50_000;
        int messages = 200_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--flows" -> {
                    flows.clear();
                    for (String spec : args[i + 1].split(",")) {
                        flows.add(FlowSource.parse(spec, Path.of("")));
                    }
                }
                case "--tests" -> tests = FlowSource.parse(args[i + 1], Path.of(""));
                case "--warm-up" -> warmUp = Integer.parseInt(args[i + 1]);
                case "--messages" -> messages = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(1);
                }
            }
        }
        Result result = measure(flows, texts(tests), warmUp, messages);
        System.out.println(result.markdown());
        // The same messages through the same flows without examples: title and rules only. The difference is the classifier's part.
        Path work = Files.createTempDirectory("parley-bench-nlu");
        List<FlowSource> rulesOnly = new ArrayList<>();
        for (int i = 0; i < flows.size(); i++) {
            rulesOnly.add(FlowSource.file(ClassifierTurnCost.withoutExamples(flows.get(i), work.resolve("rules-only-" + i + ".yaml"))));
        }
        Result rules = measure(rulesOnly, texts(tests), warmUp, messages);
        System.out.println(String.format(Locale.ROOT, "| classifier's part | %d messages | CPU %.1f µs/message with examples "
                + "− %.1f µs/message rules only = %.1f µs/message |", messages, result.cpuMicros(), rules.cpuMicros(),
                result.cpuMicros() - rules.cpuMicros()));
    }
}
