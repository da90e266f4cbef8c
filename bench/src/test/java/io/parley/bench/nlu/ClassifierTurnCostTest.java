package io.parley.bench.nlu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.IntentMatch;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.processor.flow.Timing;
import io.parley.processor.flow.Understanding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classifier's turn cost runs its three comparisons through the topology and reports them (figures are not checked here). */
class ClassifierTurnCostTest {

    @TempDir
    Path work;

    @Test
    void theThreeComparisonsAreMeasuredAndTheFairOnesDoTheSameWork() throws IOException {
        // Given the demo flows without their examples
        Path keywords = ClassifierTurnCost.withoutExamples(FlowSource.classpath("flows/demo-shop.yaml"), work.resolve("k.yaml"));
        assertThat(Files.readString(keywords)).doesNotContain("examples:").contains("keywords:");

        // When a small run measures the three comparisons
        List<String> texts = ClassificationCost.texts(FlowSource.classpath("flows/demo-shop.nlu-test.yaml"));
        ClassifierTurnCost.Result result = ClassifierTurnCost.measure(texts, 5, 20, work);

        // Then the S2 messages start one order lookup each and get their reply in both configurations
        assertThat(result.s2().baselineRequests()).isEqualTo(20).isEqualTo(result.s2().classifierRequests());
        assertThat(result.s2().baselineReplies()).isEqualTo(20).isEqualTo(result.s2().classifierReplies());
        // and the same-work pairs made the same calls (4 rounds of 5 pairs: 1 + 1 + 2 + 2 + 2 calls) and got every reply
        assertThat(result.sameWork().baselineRequests()).isEqualTo(32).isEqualTo(result.sameWork().classifierRequests());
        assertThat(result.sameWork().classifierReplies()).isEqualTo(20);
        // while as shipped the classifier understands more messages, which start calls
        assertThat(result.asShipped().classifierRequests()).isGreaterThan(result.asShipped().baselineRequests());
        for (ClassifierTurnCost.Comparison comparison : List.of(result.s2(), result.sameWork(), result.asShipped())) {
            assertThat(comparison.baselineMicros()).isPositive();
            assertThat(comparison.classifierMicros()).isPositive();
        }
        assertThat(result.markdown().lines()).hasSize(3).allMatch(line -> line.startsWith("| classifier turn cost, "));
        assertThat(result.markdown()).contains("µs CPU/turn").contains("not comparable: different work");
    }

    @Test
    void pairsThatDoNotResolveToTheSameCallsFailTheRun() {
        // Given a "paraphrase" that asks for another order than its rule message
        List<ClassifierTurnCost.SameWork> unequal = List.of(new ClassifierTurnCost.SameWork("where is my order 1001", "info on purchase 1002"));

        // When the same-work comparison runs, then it refuses to report a ratio
        assertThatThrownBy(() -> ClassifierTurnCost.sameWork(TopologyTurns.Flows.load(FlowSource.classpath("flows/demo-shop.yaml")), unequal, 0, 5, false, work))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The same-work runs did different work")
                .hasMessageContaining("orderId=1001").hasMessageContaining("orderId=1002");
    }

    @Test
    void everyPairIsUnderstoodByARuleAndItsParaphraseOnlyByTheClassifier() {
        // Given the demo flows
        FlowCatalog catalog = new FlowLoader(new TemplateCompiler(),
                new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true))
                .load(List.of(FlowSource.classpath("flows/demo-shop.yaml")));
        // Then each pair's rule message and paraphrase ask for the same intent and slots, decided by a rule and by the classifier
        for (ClassifierTurnCost.SameWork pair : ClassifierTurnCost.SAME_WORK) {
            IntentMatch rule = matched(catalog.understand(pair.rule()));
            IntentMatch paraphrase = matched(catalog.understand(pair.paraphrase()));

            assertThat(rule.matchedBy()).as(pair.rule()).isIn("pattern", "keyword");
            assertThat(paraphrase.matchedBy()).as(pair.paraphrase()).isEqualTo("classifier");
            assertThat(paraphrase.intent().name()).as(pair.paraphrase()).isEqualTo(rule.intent().name());
            assertThat(paraphrase.slots()).as(pair.paraphrase()).isEqualTo(rule.slots());
        }
    }

    private static IntentMatch matched(Understanding understanding) {
        assertThat(understanding).isInstanceOf(Understanding.Matched.class);
        return ((Understanding.Matched) understanding).match();
    }
}
