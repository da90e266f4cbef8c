package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.config.ConfigException;

/** Any template text compiles or is refused with a ConfigException, and renders or fails with a TemplateRenderException. */
class TemplateFuzzTest {

    private final TemplateCompiler compiler = new TemplateCompiler();

    private static final Map<String, Object> SCOPE = Map.of(
            "slots", Map.of("orderId", "1001", "sku", "<script>alert(1)</script>"),
            "results", Map.of("order", Map.of("status", "SHIPPED", "items", List.of(Map.of("sku", "MUG-01")))),
            "user", Map.of("id", "alice"));

    @Property(tries = 2000)
    void anyTemplateCompilesOrIsRefusedAndRendersOrFailsCleanly(@ForAll("templates") String source) {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            Template template;
            try {
                template = compiler.compile("fuzz.yaml: intents[x].reply", source);
            } catch (ConfigException refused) {
                assertThat(refused.getMessage()).startsWith("fuzz.yaml: intents[x].reply: ");
                return;
            }
            try {
                assertThat(template.render(SCOPE)).isNotNull();
            } catch (TemplateRenderException failed) {
                assertThat(failed.getMessage()).startsWith("fuzz.yaml: intents[x].reply: ");
            }
        });
    }

    @Provide
    Arbitrary<String> templates() {
        Arbitrary<String> token = Arbitraries.of("{{", "}}", "{{{", "}}}", "{{#", "{{/", "{{^", "{{>", "{{&", "{{!", "{{=", "=}}",
                "slots", "slots.orderId", "results.order.status", "results.order.items", "sku", "user.id", ".", "..", " ",
                "text ", "<b>", "\n", "|", "}", "{", "#", "/", "\\");
        return token.list().ofMaxSize(30).map(parts -> String.join("", parts));
    }
}
