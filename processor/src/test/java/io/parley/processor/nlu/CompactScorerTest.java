package io.parley.processor.nlu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.processor.flow.Timing;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compact scorer ({@link WeightTable}) must answer exactly what OpenNLP's own predict path answers: the same
 * intents in the same order with the same confidences, for the demo flows' model, on every example it was trained
 * on, on the held-out test set, and on messages it has never seen (typos, digits, other scripts, no words).
 */
class CompactScorerTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Map<String, List<String>> examples;
    private static List<String> heldOut;
    private static IntentClassifier classifier;

    @BeforeAll
    static void trainOnTheDemoFlows() throws IOException {
        JsonNode flows = read("flows/demo-shop.yaml");
        examples = new LinkedHashMap<>();
        flows.path("intents").forEach(intent -> {
            List<String> texts = new ArrayList<>();
            intent.path("examples").forEach(example -> texts.add(example.asText()));
            if (!texts.isEmpty()) {
                examples.put(intent.path("name").asText(), texts);
            }
        });
        List<String> outOfScope = new ArrayList<>();
        flows.path("nlu").path("outOfScope").forEach(example -> outOfScope.add(example.asText()));
        examples.put("(out-of-scope)", outOfScope);
        heldOut = new ArrayList<>();
        read("flows/demo-shop.nlu-test.yaml").path("tests").forEach(test -> heldOut.add(test.path("text").asText()));
        classifier = IntentClassifier.train(examples);
    }

    @Test
    void theModelIsTheOneTheProcessorTrainsFromTheDemoFlowsAndItScoresWithTheCompactTable() {
        FlowCatalog catalog = new FlowLoader(new TemplateCompiler(), new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true))
                .load(List.of(FlowSource.classpath("flows/demo-shop.yaml")));

        assertThat(catalog.classifierModel()).contains(classifier.fingerprint());
        assertThat(classifier.compact()).as("the start-up check kept the compact scorer").isTrue();
    }

    @Test
    void everyDemoExampleGetsTheLibrarysRanking() {
        List<String> all = examples.values().stream().flatMap(List::stream).toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(60);

        all.forEach(CompactScorerTest::assertSameRanking);
    }

    @Test
    void everyHeldOutMessageGetsTheLibrarysRanking() {
        assertThat(heldOut).hasSizeGreaterThan(20);

        heldOut.forEach(CompactScorerTest::assertSameRanking);
    }

    @Test
    void unseenAndOddMessagesGetTheLibrarysRanking() {
        List.of("where is my order 1001", "what's going on with purchase 1001", "PARCLE trackin pls!!", "MUG-01 in stock?",
                "x", "a b", "ünïcödé wörds ÄÖÜ ß", "İstanbul ﬁle", "١٢٣ order ٤٥٦", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚 emoji 🙂 here",
                "tab\tseparated\nlines", "caps and hoodies and mugs and t-shirts and caps again and again").forEach(
                CompactScorerTest::assertSameRanking);
        assertThat(classifier.rank("?!")).isEmpty();
        assertThat(classifier.rank(null)).isEmpty();
    }

    private static void assertSameRanking(String text) {
        List<RankedIntent> fast = classifier.rank(text);
        List<RankedIntent> library = classifier.rankWithLibrary(text);

        assertThat(fast).as(text).hasSameSizeAs(library);
        for (int i = 0; i < fast.size(); i++) {
            assertThat(fast.get(i).intent()).as("%s: rank %d", text, i).isEqualTo(library.get(i).intent());
            assertThat(fast.get(i).confidence()).as("%s: %s", text, fast.get(i).intent())
                    .isCloseTo(library.get(i).confidence(), within(1e-6));
        }
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = FlowSource.classpath(resource).open()) {
            return YAML.readTree(in);
        }
    }
}
