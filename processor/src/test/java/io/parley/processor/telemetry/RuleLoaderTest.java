package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.flow.FlowSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** A rules file is checked at start; each problem is one line naming the file, the rule and the field. */
class RuleLoaderTest {

    @Test
    void theTestRulesLoadWithTheirDefaults() {
        RuleBook book = RuleLoader.load(FlowSource.classpath("telemetry/test-rules.yaml"));

        assertThat(book.rules()).extracting(Rule::kind).containsExactly(RuleKind.THRESHOLD, RuleKind.HELD, RuleKind.AGGREGATE,
                RuleKind.AGGREGATE, RuleKind.RATE, RuleKind.ABSENCE);
        Rule humid = book.rules().get(2);
        assertThat(humid.deviceThreshold()).isEqualTo("humidity.avg.max");
        assertThat(humid.advance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(book.rules().get(3).advance()).as("tumbling by default").isEqualTo(Duration.ofHours(1));
        assertThat(book.rules().get(0).deviceThreshold()).isEqualTo("temperature.max");
    }

    @Test
    void problemsNameTheFileTheRuleAndTheField() {
        assertProblem("""
                rules:
                  - {name: warm, metric: t, kind: held, above: 1, message: hi}
                """, "rules.yaml: rules[warm].for: is required for this kind of rule");
        assertProblem("""
                rules:
                  - {name: warm, metric: t, kind: threshold, message: hi}
                """, "rules.yaml: rules[warm].above: give exactly one of above: or below: (the threshold)");
        assertProblem("""
                rules:
                  - {name: warm, metric: t, kind: sometimes, above: 1, message: hi}
                """, "rules.yaml: rules[warm].kind: 'sometimes' is not one of [threshold, held, aggregate, rate, absence]");
        assertProblem("""
                rules:
                  - {name: avg, metric: t, kind: aggregate, aggregate: avg, window: 10m, advance: 3m, above: 1, message: hi}
                """, "rules.yaml: rules[avg].advance: PT3M must divide the window PT10M evenly");
        assertProblem("""
                rules:
                  - {name: warm, metric: t, kind: threshold, above: 1, message: hi, fro: 1m}
                """, "rules.yaml: rules[warm].fro: unknown key; known keys here are");
        assertProblem("""
                rules:
                  - {name: warm, metric: t, kind: threshold, above: 1, message: "{{#x}}"}
                """, "rules.yaml: rules[warm].message: '{{' at index 0 is not a plain placeholder");
        assertProblem("""
                rules:
                  - {name: warm, metric: t, kind: threshold, above: 1, message: a}
                  - {name: warm, metric: u, kind: threshold, above: 1, message: b}
                """, "rules.yaml: rules[1].name: 'warm' is used by an earlier rule");
        assertProblem("grace: -1s\nrules: []\n", "rules.yaml: grace: '-1s' is not a duration");
        assertProblem("rules: []\n", "rules.yaml: rules: is required: list at least one rule");
    }

    private static void assertProblem(String yaml, String message) {
        FlowSource source = new FlowSource("rules.yaml", () -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> RuleLoader.load(source)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
