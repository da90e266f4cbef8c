package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.config.ConfigException;

/**
 * Mangled flow files load or are refused with a ConfigException naming the file: no other
 * exception escapes the loader, so a bad file always stops the start with one clear line.
 */
class FlowLoaderFuzzTest {

    private static final Timing DEFAULTS = new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true);
    private static final List<String> DEMO = demoLines();

    @Property(tries = 1000)
    void aMangledFlowFileLoadsOrIsRefusedWithItsName(@ForAll("mangled") String yaml) {
        FlowLoader loader = new FlowLoader(new TemplateCompiler(), DEFAULTS);
        FlowSource source = new FlowSource("mangled.yaml", () -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                assertThat(loader.load(List.of(source)).intents()).isNotNull();
            } catch (ConfigException refused) {
                assertThat(refused.getMessage()).contains("mangled.yaml");
            }
        });
    }

    @Property(tries = 1000)
    void randomYamlIsLoadedOrRefusedWithItsName(@ForAll("yamlish") String yaml) {
        FlowLoader loader = new FlowLoader(new TemplateCompiler(), DEFAULTS);
        FlowSource source = new FlowSource("random.yaml", () -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                assertThat(loader.load(List.of(source)).intents()).isNotNull();
            } catch (ConfigException refused) {
                assertThat(refused.getMessage()).contains("random.yaml");
            }
        });
    }

    @Property(tries = 200)
    void randomYamlIsCheckedIntoAListOfProblems(@ForAll("yamlish") String yaml) {
        // The validate command's path: problems are a list, never an exception
        FlowLoader loader = new FlowLoader(new TemplateCompiler(), DEFAULTS);
        FlowSource source = new FlowSource("random.yaml", () -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));

        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThat(loader.check(List.of(source), java.util.Optional.empty())).isNotNull());
    }

    /** Lines built from the flow format's own keys, values of every YAML kind and the syntax between them, at random depths. */
    @Provide
    Arbitrary<String> yamlish() {
        Arbitrary<String> key = Arbitraries.of("version", "intents", "name", "keywords", "patterns", "priority", "slots", "prompt",
                "pattern", "retries", "steps", "calls", "connector", "operation", "params", "reply", "errors", "timeout", "interimAfter",
                "lateResults", "examples", "classifier", "notifications", "templates", "orderId", "x", "", "<<", "? a", "'q'");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("", "~", "null", "true", "no", "0", "-1", "1e999", "0x1F", "2s", "PT5S", "10 minutes", "[]", "{}", "[a, b",
                        "{a: 1", "&anchor x", "*anchor", "*missing", "!!str 1", "!!binary AAAA", "!!javaObject x", "|", ">-", "'it''s'",
                        "\"\\u00e9\"", "{{slots.orderId}}", "{{#results.order}}{{status}}{{/results.order}}", "{{", "(?<orderId>\\d+)",
                        "(a+)+$", "[", "\u0000", "\uFEFF", "#comment", "%TAG ! x", "---", "..."),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12));
        Arbitrary<String> line = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.of("", "- "), key,
                Arbitraries.of(": ", ":", " : ", ""), value)
                .as((depth, item, k, colon, v) -> "  ".repeat(depth) + item + k + colon + v);
        return line.list().ofMaxSize(25).map(lines -> String.join("\n", lines));
    }

    @Provide
    Arbitrary<String> mangled() {
        Arbitrary<Integer> line = Arbitraries.integers().between(0, DEMO.size() - 1);
        Arbitrary<String> noise = Arbitraries.of("", "  ", "- ", ": ", "{", "}", "[", "]", "'", "\"", "&a", "*a", "!!binary x",
                "{{", "}}", "(?<x>", "\\", "~", "null", "-1", "1e999", "\t", "? ", "|", ">", "%", "@", "\u0000", "\uFEFF");
        Arbitrary<Mutation> mutation = Arbitraries.oneOf(
                line.map(index -> lines -> lines.remove((int) Math.min(index, lines.size() - 1))),
                line.map(index -> lines -> lines.add(Math.min(index, lines.size()), lines.get(Math.min(index, lines.size() - 1)))),
                net.jqwik.api.Combinators.combine(line, noise).as((index, text) -> lines -> {
                    int at = Math.min(index, lines.size() - 1);
                    String original = lines.get(at);
                    int cut = original.isEmpty() ? 0 : Math.abs(text.hashCode() + index) % original.length();
                    lines.set(at, original.substring(0, cut) + text + original.substring(cut));
                }));
        return mutation.list().ofMinSize(1).ofMaxSize(4).map(mutations -> {
            List<String> lines = new ArrayList<>(DEMO);
            mutations.forEach(m -> {
                if (!lines.isEmpty()) {
                    m.apply(lines);
                }
            });
            return String.join("\n", lines);
        });
    }

    @FunctionalInterface
    interface Mutation {
        void apply(List<String> lines);
    }

    private static List<String> demoLines() {
        try (InputStream in = FlowLoaderFuzzTest.class.getResourceAsStream("/flows/demo-shop.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
