package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * {@code parley flows validate}: every rule has a failing example under
 * {@code src/test/resources/flows/invalid}, every problem is reported with its line and column,
 * and the processor's start refuses the same files with the first problem.
 */
class FlowValidationTest {

    private static final FlowLoader LOADER = new FlowLoader(new TemplateCompiler(),
            new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true));
    private static final String DIR = "classpath:flows/invalid/";

    @Test
    void theShippedDemoFlowsAreClean() {
        assertThat(LOADER.check(List.of(FlowSource.classpath("flows/demo-shop.yaml")), Optional.empty())).isEmpty();
    }

    @Test
    void aTemplateVariableWithAnUnknownRootIsFound() {
        assertThat(lines("unknown-root.yaml")).containsExactly(DIR + "unknown-root.yaml:18:5 intents[order-status].reply: "
                + "unknown variable '{{reslts.order.status}}': 'reslts' is not a name templates can use; they can use "
                + "[alert, conversation, error, failed, intent, profile, results, slots, user]");
    }

    @Test
    void anUnknownUserFieldIsFound() {
        assertThat(lines("unknown-user-field.yaml")).containsExactly(DIR + "unknown-user-field.yaml:17:15 "
                + "intents[order-status].steps[0].calls.order.params.customerId: unknown user field '{{user.emial}}'; "
                + "the user has [channel, id, locale]");
    }

    @Test
    void aMuteActionNeedsADurationUpToSevenDaysAndAKnownScope() {
        assertThat(lines("mute-action.yaml")).containsExactly(
                DIR + "mute-action.yaml:5:5 intents[mute-forever].mute.for: is required: how long to mute, e.g. 1h",
                DIR + "mute-action.yaml:11:7 intents[mute-a-month].mute.for: is out of range; a mute lasts from 1m to 7d",
                DIR + "mute-action.yaml:17:7 intents[mute-the-house].mute.scope: 'house' is not one of [rule, device]",
                DIR + "mute-action.yaml:23:5 intents[mute-and-unmute].unmute: cannot be used with mute: in one intent; make two intents");
    }

    @Test
    void theShippedAlertFlowIsClean() {
        assertThat(LOADER.check(List.of(FlowSource.classpath("flows/demo-shop.yaml"), FlowSource.classpath("flows/demo-alerts.yaml")),
                Optional.empty())).isEmpty();
    }

    @Test
    void anUnknownAlertFieldIsFound() {
        assertThat(lines("unknown-alert-field.yaml")).containsExactly(DIR + "unknown-alert-field.yaml:7:5 "
                + "intents[on-duty].reply: unknown alert field '{{alert.device_location}}'; "
                + "the alert has [at, device, metric, rule, value]");
    }

    @Test
    void aKeyTwiceInOneMappingIsFound() {
        assertThat(lines("duplicate-key.yaml")).containsExactly(DIR + "duplicate-key.yaml:19:5 intents[order-status].reply: "
                + "the key 'reply' appears twice in this mapping (first on line 18); YAML would keep only the last one");
    }

    @Test
    void aSlotNothingReadsIsFound() {
        assertThat(lines("unused-slot.yaml")).singleElement().asString()
                .startsWith(DIR + "unused-slot.yaml:10:7 intents[order-status].slots.email: the slot is never used");
    }

    @Test
    void anIntentWhoseExamplesAllGoToAHigherPriorityRuleIsUnreachable() {
        assertThat(lines("unreachable-intent.yaml")).singleElement().asString()
                .startsWith(DIR + "unreachable-intent.yaml:9:5 intents[order-cancel].examples: the intent is unreachable")
                .contains("[order-status]");
    }

    @Test
    void malformedYamlIsOneLineWithACaretUnderThePosition() {
        List<FlowProblem> problems = check("malformed.yaml");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).startsWith(DIR + "malformed.yaml:3:3: not valid YAML: ").doesNotContain("\n");
            assertThat(problem.excerpt().lines().toList()).containsExactly("    - name: greeting", "    ^");
        });
    }

    @Test
    void callParametersAreCheckedAgainstTheConnectorFilesOperations() {
        ConnectorOperations connectors = new ConnectorOperations(Map.of("shop-api", Map.of("getOrder", Set.of("orderId", "customerId"))));

        List<String> lines = LOADER.check(List.of(FlowSource.classpath("flows/invalid/call-parameters.yaml")), Optional.of(connectors))
                .stream().map(FlowProblem::line).toList();

        assertThat(lines).containsExactly(
                DIR + "call-parameters.yaml:16:13 intents[order-status].steps[0].calls.order.params: shop-api.getOrder needs "
                        + "[customerId], which the call does not give; the operation's parameters are [customerId, orderId]",
                DIR + "call-parameters.yaml:18:15 intents[order-status].steps[0].calls.order.params.orderNumber: shop-api.getOrder "
                        + "has no parameter 'orderNumber'; its parameters are [customerId, orderId]");
        assertThat(check("call-parameters.yaml")).as("without connector files the flow itself is fine").isEmpty();
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        assertThat(lines("many-problems.yaml")).hasSize(5).satisfiesExactly(
                line -> assertThat(line).startsWith(DIR + "many-problems.yaml:6:16 intents[order-status].patterns[0]: bad regular expression"),
                line -> assertThat(line).startsWith(DIR + "many-problems.yaml:10:9 intents[order-status].slots.orderId.retries: 99 is out of range"),
                line -> assertThat(line).startsWith(DIR + "many-problems.yaml:14:13 intents[order-status].steps[0].calls.order.connector: unknown connector 'shop-apy'"),
                line -> assertThat(line).startsWith(DIR + "many-problems.yaml:18:5 intents[order-status].reply: uses slot 'ordreId'"),
                line -> assertThat(line).startsWith(DIR + "many-problems.yaml:22:5 intents[greeting].colour: unknown key"));
    }

    @Test
    void anIntentDefinedTwiceIsReportedAndItsOwnProblemsToo() {
        List<String> lines = LOADER.check(List.of(FlowSource.classpath("flows/invalid/unknown-root.yaml"),
                FlowSource.classpath("flows/invalid/unused-slot.yaml")), Optional.empty()).stream().map(FlowProblem::line).toList();

        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(DIR + "unused-slot.yaml:5:5 intents[0].name: "
                + "intent 'order-status' is already defined in " + DIR + "unknown-root.yaml"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(DIR + "unknown-root.yaml:18:5 intents[order-status].reply"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(DIR + "unused-slot.yaml:10:7 intents[order-status].slots.email"));
    }

    @Test
    void theStartRefusesTheSameFilesWithTheirFirstProblem() {
        for (String file : List.of("unknown-root.yaml", "unknown-user-field.yaml", "duplicate-key.yaml", "unused-slot.yaml",
                "unreachable-intent.yaml", "malformed.yaml")) {
            assertThatThrownBy(() -> LOADER.load(List.of(FlowSource.classpath("flows/invalid/" + file))))
                    .as(file).isInstanceOf(ConfigException.class).hasMessageStartingWith(DIR + file)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    private static List<FlowProblem> check(String file) {
        return LOADER.check(List.of(FlowSource.classpath("flows/invalid/" + file)), Optional.empty());
    }

    private static List<String> lines(String file) {
        return check(file).stream().map(FlowProblem::line).toList();
    }
}
