package io.parley.bench.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.FlowSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classifier's turn cost runs both configurations through the topology and reports both (figures are not checked here). */
class ClassifierTurnCostTest {

    @TempDir
    Path work;

    @Test
    void theKeywordsOnlyFlowsHaveNoExamplesAndBothRunsAreMeasured() throws IOException {
        // Given the demo flows without their examples
        Path keywords = ClassifierTurnCost.withoutExamples(FlowSource.classpath("flows/demo-shop.yaml"), work.resolve("k.yaml"));
        assertThat(Files.readString(keywords)).doesNotContain("examples:").contains("keywords:");

        // When a small run measures both configurations
        List<String> texts = ClassificationCost.texts(FlowSource.classpath("flows/demo-shop.nlu-test.yaml"));
        ClassifierTurnCost.Result result = ClassifierTurnCost.measure(texts, 20, 100, work);

        // Then both are measured in CPU time and compared
        assertThat(result.classifierMicros()).isPositive();
        assertThat(result.keywordsMicros()).isPositive();
        assertThat(result.classifierRequests()).as("the classifier understands more messages, which start calls")
                .isGreaterThan(result.keywordsRequests());
        assertThat(result.markdown()).startsWith("| classifier turn cost | 100 turns each | classifier ").contains("µs CPU/turn");
    }
}
