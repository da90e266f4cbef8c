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

    @Property(tries = 1000)
    void anyTemplateRendersAnyScopeOrFailsCleanly(@ForAll("templates") String source, @ForAll("scopes") Map<String, Object> scope) {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            Template template;
            try {
                template = compiler.compile("fuzz.yaml: intents[x].reply", source);
            } catch (ConfigException refused) {
                return;
            }
            try {
                assertThat(template.render(scope)).isNotNull();
            } catch (TemplateRenderException failed) {
                assertThat(failed.getMessage()).startsWith("fuzz.yaml: intents[x].reply: ");
            }
        });
    }

    /** Scopes as results arrive from backends: nested maps and lists of any depth, nulls, odd keys and hostile text. */
    @Provide
    Arbitrary<Map<String, Object>> scopes() {
        Arbitrary<String> keys = Arbitraries.of("slots", "results", "user", "order", "items", "status", "sku", "orderId", "id", ".", "",
                "{{", "a.b", "#", "/");
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.of("{{slots.orderId}}", "{{=<% %>=}}", "<script>", "\u0000", "").map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(List.of()).map(l -> (Object) l));
        Arbitrary<Object> level1 = Arbitraries.oneOf(leaf,
                Arbitraries.maps(keys, leaf).ofMaxSize(4).map(m -> (Object) m),
                leaf.list().ofMaxSize(4).map(l -> (Object) l));
        Arbitrary<Object> level2 = Arbitraries.oneOf(level1,
                Arbitraries.maps(keys, level1).ofMaxSize(4).map(m -> (Object) m),
                level1.list().ofMaxSize(4).map(l -> (Object) l));
        return Arbitraries.maps(keys, level2).ofMaxSize(5).map(m -> (Map<String, Object>) new java.util.HashMap<String, Object>(m));
    }

    @Provide
    Arbitrary<String> templates() {
        Arbitrary<String> token = Arbitraries.of("{{", "}}", "{{{", "}}}", "{{#", "{{/", "{{^", "{{>", "{{&", "{{!", "{{=", "=}}",
                "slots", "slots.orderId", "results.order.status", "results.order.items", "sku", "user.id", ".", "..", " ",
                "text ", "<b>", "\n", "|", "}", "{", "#", "/", "\\");
        return token.list().ofMaxSize(30).map(parts -> String.join("", parts));
    }
}
