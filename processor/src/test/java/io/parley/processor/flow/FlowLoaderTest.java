package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Flow files are checked completely at start; every error names the file, the intent and the field. */
class FlowLoaderTest {

    private static final Timing DEFAULTS = new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true);

    private static final String VALID = """
            connectors:
              shop-api: [getOrder]
            intents:
              - name: order-status
                patterns: ['order\\s+(?<orderId>\\d+)']
                slots:
                  orderId:
                    prompt: "Which order?"
                    pattern: '\\d+'
                steps:
                  - calls:
                      order:
                        connector: shop-api
                        operation: getOrder
                        params:
                          orderId: "{{slots.orderId}}"
                reply: "Order {{results.order.status}}"
            """;

    @Test
    void shippedDemoFlowsAreValid() {
        FlowCatalog catalog = new FlowLoader(new TemplateCompiler(), DEFAULTS).load(List.of(FlowSource.classpath("flows/demo-shop.yaml")));

        assertThat(catalog.intents()).extracting(IntentDefinition::name)
                .containsExactly("greeting", "shipment-tracking", "order-status", "stock-check");
        assertThat(catalog.sessionStart()).map(IntentDefinition::name).contains("greeting");
        assertThat(catalog.version()).isEqualTo("demo-shop.yaml@1");
    }

    @Test
    void validFlowLoadsWithDefaultTiming() {
        FlowCatalog catalog = load(VALID);

        IntentDefinition intent = catalog.intent("order-status").orElseThrow();
        assertThat(intent.timing()).isEqualTo(DEFAULTS);
        assertThat(catalog.match("order 42")).map(IntentMatch::slots).contains(Map.of("orderId", "42"));
    }

    @Test
    void unknownConnectorIsNamedWithFileIntentAndField() {
        assertThatThrownBy(() -> load(VALID.replace("connector: shop-api", "connector: shop-apy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test-flows.yaml: intents[order-status].steps[0].calls.order.connector")
                .hasMessageContaining("unknown connector 'shop-apy'");
    }

    @Test
    void unknownOperationIsNamed() {
        assertThatThrownBy(() -> load(VALID.replace("operation: getOrder", "operation: getOrders")))
                .hasMessageContaining("intents[order-status].steps[0].calls.order.connector")
                .hasMessageContaining("has no operation 'getOrders'");
    }

    @Test
    void slotUsedInATemplateButNotDefinedIsNamed() {
        assertThatThrownBy(() -> load(VALID.replace("{{slots.orderId}}\"", "{{slots.orderNumber}}\"")))
                .hasMessageContaining("test-flows.yaml: intents[order-status].steps[0].calls.order.params.orderId")
                .hasMessageContaining("uses slot 'orderNumber', which is not defined");
    }

    @Test
    void slotFilledByAPatternButNotDefinedIsNamed() {
        assertThatThrownBy(() -> load(VALID.replace("(?<orderId>", "(?<orderNo>")))
                .hasMessageContaining("test-flows.yaml: intents[order-status].patterns[0]")
                .hasMessageContaining("named group 'orderNo'");
    }

    @Test
    void templateSyntaxErrorIsNamed() {
        assertThatThrownBy(() -> load(VALID.replace("reply: \"Order {{results.order.status}}\"", "reply: \"Order {{#results.order}}\"")))
                .hasMessageContaining("test-flows.yaml: intents[order-status].reply")
                .hasMessageContaining("template syntax error");
    }

    @Test
    void badRegularExpressionIsNamed() {
        assertThatThrownBy(() -> load(VALID.replace("pattern: '\\d+'", "pattern: '\\d+('")))
                .hasMessageContaining("test-flows.yaml: intents[order-status].slots.orderId.pattern")
                .hasMessageContaining("bad regular expression");
    }

    @Test
    void resultOfALaterStepCannotBeUsedEarlier() {
        assertThatThrownBy(() -> load(VALID.replace("orderId: \"{{slots.orderId}}\"", "orderId: \"{{results.order.id}}\"")))
                .hasMessageContaining("intents[order-status].steps[0].calls.order.params.orderId")
                .hasMessageContaining("call 'order', which no earlier step defines");
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> load(VALID.replace("    reply:", "    replies: x\n    reply:")))
                .hasMessageContaining("test-flows.yaml: intents[order-status].replies")
                .hasMessageContaining("unknown key");
    }

    @Test
    void unknownErrorStatusIsNamed() {
        assertThatThrownBy(() -> load(VALID + "    errors:\n      NOT_THERE: \"x\"\n"))
                .hasMessageContaining("intents[order-status].errors.NOT_THERE")
                .hasMessageContaining("unknown status");
    }

    @Test
    void interimMustComeBeforeTheDeadline() {
        assertThatThrownBy(() -> load(VALID + "    interimAfter: 10s\n"))
                .hasMessageContaining("intents[order-status].interimAfter");
    }

    @Test
    void duplicateIntentNamesAcrossFilesAreRefused() {
        FlowLoader loader = new FlowLoader(new TemplateCompiler(), DEFAULTS);

        assertThatThrownBy(() -> loader.load(List.of(source("a.yaml", VALID), source("b.yaml", VALID))))
                .hasMessageContaining("b.yaml: intents[0].name")
                .hasMessageContaining("already defined in a.yaml");
    }

    @Test
    void sessionStartMustNameAnIntent() {
        assertThatThrownBy(() -> load("sessionStart: hello\n" + VALID))
                .hasMessageContaining("test-flows.yaml: sessionStart")
                .hasMessageContaining("unknown intent 'hello'");
    }

    @Test
    void partialsAreRefusedSoTemplatesCannotReadFiles() {
        assertThatThrownBy(() -> load(VALID.replace("reply: \"Order {{results.order.status}}\"", "reply: \"{{> /etc/passwd}}\"")))
                .hasMessageContaining("intents[order-status].reply")
                .hasMessageContaining("not supported");
    }

    @Test
    void notYamlIsNamed() {
        assertThatThrownBy(() -> load("intents: [\n"))
                .hasMessageContaining("test-flows.yaml:2:1: not valid YAML");
    }

    private static FlowCatalog load(String yaml) {
        return new FlowLoader(new TemplateCompiler(), DEFAULTS).load(List.of(source("test-flows.yaml", yaml)));
    }

    @Test
    void aTemplateWhoseDelimitersTheParserCannotFollowIsASyntaxErrorNamingItsPlace() {
        // Found by TemplateFuzzTest: the Mustache parser fails here with an index error of its own.
        assertThatThrownBy(() -> new TemplateCompiler().compile("flow.yaml: intents[x].reply", "{{={{{{{{{{ {{=}}{{{"))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessage("flow.yaml: intents[x].reply: template syntax error (StringIndexOutOfBoundsException)");
    }

    @Test
    void anUnknownNormalizationIsNamed() {
        assertThatThrownBy(() -> load(VALID.replace("pattern: '\\d+'", "pattern: '\\d+'\n        normalize: reverse")))
                .hasMessageContaining("test-flows.yaml: intents[order-status].slots.orderId.normalize: 'reverse' is not one of");
    }

    private static FlowSource source(String label, String yaml) {
        return new FlowSource(label, () -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
