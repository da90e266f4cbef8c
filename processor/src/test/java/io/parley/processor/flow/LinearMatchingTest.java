package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.parley.runtime.audit.Redactor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: one 100 kB message of letters without spaces stalled a partition for over 150 s.
 * Patterns on user text (flow patterns, slot patterns, keywords, the redactor) run on RE2/J, whose
 * time is linear in the text whatever the pattern; patterns RE2 cannot run are refused at load,
 * naming the file, the intent and the field. (The bound below is only there so a regression fails
 * instead of hanging the build: these complete in milliseconds.)
 */
class LinearMatchingTest {

    private static final Duration GENEROUS = Duration.ofSeconds(60);
    private static final Timing TIMING = new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true);

    private static final String CATASTROPHIC = """
            connectors:
              shop-api: [getOrder]
            intents:
              - name: nested
                patterns: ['(?P<word>(?:[a-z]+)+)!']
                keywords: [open sesame]
                slots:
                  word:
                    prompt: "Which word?"
                    pattern: '(?:a|aa)+'
                reply: "{{slots.word}}"
            """;

    @Test
    void aPatternThatBacktrackingEnginesTakeExponentialTimeOnIsMatchedInLinearTime() {
        // (?:[a-z]+)+! on letters without the '!' takes exponential time under backtracking
        FlowCatalog flows = load(CATASTROPHIC);
        String letters = "abcdefghij".repeat(10_000);

        assertTimeoutPreemptively(GENEROUS, () -> {
            assertThat(flows.match(letters)).isEmpty();
            assertThat(flows.match(letters + "!")).hasValueSatisfying(match ->
                    assertThat(match.slots().get("word")).hasSize(100_000));
            assertThat(flows.intent("nested").orElseThrow().slot("word").orElseThrow().accepts("a".repeat(100_000) + "b")).isFalse();
        });
    }

    @Test
    void theShippedFlowsAndTheRedactorGoThrough100kBOfLettersQuickly() {
        FlowCatalog flows = new FlowLoader(new TemplateCompiler(), TIMING).load(List.of(FlowSource.classpath("flows/demo-shop.yaml")));
        String letters = "x".repeat(100_000);
        Redactor redactor = new Redactor();

        assertTimeoutPreemptively(GENEROUS, () -> {
            assertThat(flows.match(letters)).isEmpty();
            assertThat(redactor.redact(letters)).isEqualTo(letters);
            assertThat(redactor.redact(letters + "@example.com")).isEqualTo("[email]");
            assertThat(redactor.redact("1".repeat(100_000))).hasSize(100_000);
        });
    }

    @Test
    void bothNamedGroupSyntaxesFillSlots() {
        FlowCatalog flows = load(CATASTROPHIC.replace("(?P<word>", "(?<word>"));

        assertThat(flows.match("hello!")).map(IntentMatch::slots).contains(Map.of("word", "hello"));
        assertThat(load(CATASTROPHIC).match("HELLO!")).map(IntentMatch::slots).contains(Map.of("word", "HELLO"));
    }

    @Test
    void keywordsStillMatchWholeWordsOnly() {
        FlowCatalog flows = load(CATASTROPHIC);

        assertThat(flows.match("please, OPEN   sesame.")).map(m -> m.matchedBy()).contains("keyword");
        assertThat(flows.match("reopen sesame")).isEmpty();
        assertThat(flows.match("open sesames")).isEmpty();
    }

    @Test
    void aPatternRe2CannotRunIsRefusedAtLoadNamingFileIntentAndField() {
        assertThatThrownBy(() -> load(CATASTROPHIC.replace("'(?P<word>(?:[a-z]+)+)!'", "'(?<word>\\w+)(?=!)'")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("flows.yaml: intents[nested].patterns[0]: bad regular expression '(?<word>\\w+)(?=!)'")
                .hasMessageEndingWith("(patterns use RE2 syntax, matched in linear time: no look-around, back-references or"
                        + " possessive quantifiers)");
        assertThatThrownBy(() -> load(CATASTROPHIC.replace("'(?:a|aa)+'", "'(a)\\1'")))
                .hasMessageStartingWith("flows.yaml: intents[nested].slots.word.pattern: bad regular expression '(a)\\1'");
    }

    private static FlowCatalog load(String yaml) {
        return new FlowLoader(new TemplateCompiler(), TIMING).load(List.of(new FlowSource("flows.yaml",
                () -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))));
    }
}
