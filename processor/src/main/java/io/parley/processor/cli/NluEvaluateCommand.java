package io.parley.processor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.IntentDefinition;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.processor.flow.Timing;
import io.parley.processor.flow.Understanding;
import io.parley.processor.nlu.NluEvaluation;
import io.parley.processor.nlu.NluEvaluation.Prediction;
import io.parley.processor.nlu.NluReport;
import io.parley.processor.nlu.NluTestCase;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley nlu evaluate --flows demo-shop.yaml --tests demo-shop.nlu-test.yaml --min-accuracy 0.85}:
 * trains the classifier as the processor does, evaluates it on a held-out test set and by k-fold
 * cross-validation on the flows' own examples, prints the report, and exits 1 when the test set's
 * accuracy is below the bar, so CI can guard a bot's quality.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluates intent understanding on a test set and by cross-validation on the flows' examples.")
public final class NluEvaluateCommand implements Callable<Integer> {

    @Option(names = "--flows", required = true, split = ",",
            description = "Flow files (paths, or classpath:flows/demo-shop.yaml).")
    private List<String> flows;

    @Option(names = "--tests", description = "The test set (YAML: tests: [{text, intent, slots}]); a path or classpath:...")
    private String tests;

    @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds (0 to skip; default 5).")
    private int folds;

    @Option(names = "--min-accuracy", description = "Exit 1 when the test set's accuracy is below this (0 to 1).")
    private Double minAccuracy;

    private final PrintStream out;

    public NluEvaluateCommand() {
        this(System.out);
    }

    NluEvaluateCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new NluEvaluateCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        FlowCatalog catalog;
        try {
            List<FlowSource> sources = flows.stream().map(spec -> FlowSource.parse(spec, Path.of("."))).toList();
            catalog = new FlowLoader(new TemplateCompiler(), new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true))
                    .load(sources);
        } catch (ConfigException e) {
            out.println("parley nlu evaluate: " + e.getMessage());
            return 2;
        }
        out.println("classifier model: " + catalog.classifierModel().orElse("none (no intent has examples)"));
        Map<String, List<String>> examples = new LinkedHashMap<>();
        catalog.intents().stream().filter(intent -> !intent.examples().isEmpty())
                .forEach(intent -> examples.put(intent.name(), intent.examples()));
        if (folds > 0 && examples.size() >= 2) {
            out.println(NluEvaluation.crossValidate(examples, folds).render());
        }
        if (tests == null) {
            return 0;
        }
        NluReport report = NluEvaluation.testSet(readTests(tests), text -> predict(catalog, text));
        out.println(report.render());
        if (minAccuracy != null && report.accuracy() < minAccuracy) {
            out.println(String.format(Locale.ROOT, "FAILED: test-set accuracy %.1f%% is below the required %.1f%%",
                    report.accuracy() * 100, minAccuracy * 100));
            return 1;
        }
        return 0;
    }

    /** What the processor would make of a message. */
    static Prediction predict(FlowCatalog catalog, String text) {
        Understanding understanding = catalog.understand(text);
        if (understanding instanceof Understanding.Matched matched) {
            IntentDefinition intent = matched.match().intent();
            Map<String, String> slots = new LinkedHashMap<>();
            matched.match().slots().forEach((name, value) -> intent.slot(name).flatMap(slot -> slot.value(value))
                    .ifPresent(normalized -> slots.put(name, normalized)));
            return new Prediction(intent.name(), slots);
        }
        return new Prediction(understanding instanceof Understanding.Ambiguous ? NluReport.ASK : NluReport.NONE, Map.of());
    }

    static List<NluTestCase> readTests(String spec) throws IOException {
        JsonNode root;
        try (InputStream in = FlowSource.parse(spec, Path.of(".")).open()) {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        List<NluTestCase> cases = new ArrayList<>();
        JsonNode list = root == null ? null : root.get("tests");
        if (list == null || !list.isArray()) {
            throw new IOException(spec + ": expected 'tests:' with a list of {text, intent, slots}");
        }
        for (JsonNode test : list) {
            Map<String, String> slots = new LinkedHashMap<>();
            JsonNode slotNode = test.get("slots");
            if (slotNode != null) {
                slotNode.properties().forEach(entry -> slots.put(entry.getKey(), entry.getValue().asText()));
            }
            cases.add(new NluTestCase(test.path("text").asText(), test.path("intent").asText(), slots));
        }
        return cases;
    }
}
