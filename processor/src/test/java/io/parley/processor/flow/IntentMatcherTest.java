package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the shipped flows recognise what users write. */
class IntentMatcherTest {

    private final FlowCatalog flows = new FlowLoader(new TemplateCompiler(),
            new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true))
            .load(List.of(FlowSource.classpath("flows/demo-shop.yaml")));

    @Test
    void patternsFillSlotsFromNamedGroups() {
        assertThat(flows.match("Where is my order 1001?")).hasValueSatisfying(match -> {
            assertThat(match.intent().name()).isEqualTo("order-status");
            assertThat(match.slots()).isEqualTo(Map.of("orderId", "1001"));
            assertThat(match.matchedBy()).isEqualTo("pattern");
        });
    }

    @Test
    void higherPriorityWins() {
        assertThat(flows.match("track my order 1001")).map(m -> m.intent().name()).contains("shipment-tracking");
    }

    @Test
    void keywordsMatchWholeWordsInAnyCase() {
        assertThat(flows.match("HELLO there")).map(m -> m.intent().name()).contains("greeting");
        assertThat(flows.match("this is shocking")).isEmpty();
    }

    @Test
    void nothingMatchesNothing() {
        assertThat(flows.match("tell me a joke")).isEmpty();
        assertThat(flows.match("")).isEmpty();
    }
}
