package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.flow.FlowSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** A rule's calls:, fallback: and deadline: are checked at start; problems name the file, the rule and the field. */
class RuleCallsLoaderTest {

    @Test
    void aRuleWithCallsLoadsItsCallsFallbackAndDeadline() {
        // Given the test rules with a call
        RuleBook book = RuleLoader.load(FlowSource.classpath("telemetry/call-rules.yaml"));

        // Then the calls are read as written, and a rule without calls has none
        Rule warm = book.rules().get(0);
        assertThat(warm.calls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("manager");
            assertThat(call.connector()).isEqualTo("shop");
            assertThat(call.operation()).isEqualTo("managerOnDuty");
            assertThat(call.params()).isEqualTo(Map.of("store", "{{device.location}}", "device", "{{device.id}}"));
        });
        assertThat(warm.callDeadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(warm.fallback()).startsWith("{{device.name}}");
        assertThat(book.makesCalls()).isTrue();
        assertThat(book.rules().get(1).makesCalls()).isFalse();
        assertThat(RuleLoader.load(FlowSource.classpath("telemetry/test-rules.yaml")).makesCalls()).isFalse();
    }

    @Test
    void theDeadlineDefaultsToTenSeconds() {
        RuleBook book = load("""
                rules:
                  - name: warm
                    metric: t
                    kind: threshold
                    above: 1
                    calls: {who: {connector: shop, operation: managerOnDuty}}
                    message: "{{results.who.name}}"
                """);

        assertThat(book.rules().get(0).callDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(book.rules().get(0).calls().get(0).params()).isEmpty();
    }

    @Test
    void problemsNameTheFileTheRuleAndTheField() {
        assertProblem("""
                rules:
                  - name: warm
                    metric: t
                    kind: threshold
                    above: 1
                    calls: {who: {operation: managerOnDuty}}
                    message: hi
                """, "rules.yaml: rules[warm].calls.who.connector: is required");
        assertProblem("""
                rules:
                  - name: warm
                    metric: t
                    kind: threshold
                    above: 1
                    calls: {who: {connector: shop, operation: managerOnDuty, params: {store: "{{slots.store}}"}}}
                    message: hi
                """, "rules.yaml: rules[warm].calls.who.params.store: uses {{slots.store}}, which a call's parameters cannot know");
        assertProblem("""
                rules:
                  - name: warm
                    metric: t
                    kind: threshold
                    above: 1
                    calls: {who: {connector: shop, operation: managerOnDuty}}
                    message: "{{results.manager.name}} is on duty"
                """, "rules.yaml: rules[warm].message: uses {{results.manager.name}}, but the rule has no call 'manager'; its calls are [who]");
        assertProblem("""
                rules:
                  - name: warm
                    metric: t
                    kind: threshold
                    above: 1
                    calls: {who: {connector: shop, operation: managerOnDuty}}
                    message: hi
                    fallback: "{{#x}}"
                """, "rules.yaml: rules[warm].fallback: '{{' at index 0 is not a plain placeholder");
        assertProblem("""
                rules:
                  - {name: warm, metric: t, kind: threshold, above: 1, message: hi, fallback: sorry}
                """, "rules.yaml: rules[warm].fallback: is only for a rule with calls:");
        assertProblem("""
                rules:
                  - {name: warm, metric: t, kind: threshold, above: 1, message: hi, deadline: 5s}
                """, "rules.yaml: rules[warm].deadline: is only for a rule with calls:");
        assertProblem("""
                rules:
                  - name: warm
                    metric: t
                    kind: threshold
                    above: 1
                    calls: {who: {connector: shop, operation: managerOnDuty}}
                    deadline: 1h
                    message: hi
                """, "rules.yaml: rules[warm].deadline: PT1H is out of range; allowed are 100ms to 10m");
        assertProblem("""
                rules:
                  - name: warm
                    metric: t
                    kind: threshold
                    above: 1
                    calls: {who-is: {connector: shop, operation: managerOnDuty}}
                    message: hi
                """, "rules.yaml: rules[warm].calls.who-is: a call name must be letters and digits");
        assertProblem("""
                rules:
                  - name: warm
                    metric: t
                    kind: threshold
                    above: 1
                    calls: {who: {connector: shop, operation: managerOnDuty, retries: 3}}
                    message: hi
                """, "rules.yaml: rules[warm].calls.who.retries: unknown key");
    }

    private static RuleBook load(String yaml) {
        return RuleLoader.load(new FlowSource("rules.yaml", () -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
    }

    private static void assertProblem(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
