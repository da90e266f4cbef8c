package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A message a rule understands never reaches the classifier: the bench's S2 message ("where is my order 1001")
 * costs the same with and without {@code examples:} because of it.
 */
class RulesBeforeClassifierTest {

    private static final FlowLoader LOADER = new FlowLoader(new TemplateCompiler(), new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true));

    @Test
    void aMessageARuleMatchesIsDecidedByTheRuleWithoutClassifierEvidence() {
        // Given the demo flows, whose intents all have examples (a classifier is trained)
        FlowCatalog catalog = LOADER.load(List.of(FlowSource.classpath("flows/demo-shop.yaml")));
        assertThat(catalog.classifierModel()).isPresent();

        // When the S2 message and a stock question are understood
        Understanding order = catalog.understand("where is my order 1001");
        Understanding stock = catalog.understand("is MUG-01 in stock");

        // Then the patterns decided, and nothing of the classifier is attached
        assertThat(order).isInstanceOfSatisfying(Understanding.Matched.class, matched -> {
            assertThat(matched.match().intent().name()).isEqualTo("order-status");
            assertThat(matched.match().matchedBy()).isEqualTo("pattern");
            assertThat(matched.match().slots()).isEqualTo(Map.of("orderId", "1001"));
            assertThat(matched.match().evidence()).isEmpty();
        });
        assertThat(stock).isInstanceOfSatisfying(Understanding.Matched.class, matched -> {
            assertThat(matched.match().intent().name()).isEqualTo("stock-check");
            assertThat(matched.match().matchedBy()).isNotEqualTo("classifier");
            assertThat(matched.match().evidence()).isEmpty();
        });
    }
}
