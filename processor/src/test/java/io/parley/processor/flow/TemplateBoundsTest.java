package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a template renders is bounded: a section over a long list cannot multiply a session into a huge text. */
class TemplateBoundsTest {

    @Test
    void aTemplateRenderingMoreThanItsBoundFailsNamingWhereItIsDefined() {
        Template template = new TemplateCompiler(1_000).compile("flow.yaml: intents[x].reply",
                "{{#items}}{{results.big}}{{/items}}");
        Map<String, Object> scope = Map.of("items", Collections.nCopies(1_000, Map.of()), "results", Map.of("big", "y".repeat(100)));

        assertThatThrownBy(() -> template.render(scope))
                .isInstanceOf(TemplateRenderException.class)
                .hasMessage("flow.yaml: intents[x].reply: the template rendered more than 1000 characters");
    }

    @Test
    void aTemplateWithinItsBoundRendersAsUsual() {
        Template template = new TemplateCompiler(1_000).compile("here", "{{#items}}{{.}},{{/items}}");

        assertThat(template.render(Map.of("items", List.of("a", "b")))).isEqualTo("a,b,");
    }
}
