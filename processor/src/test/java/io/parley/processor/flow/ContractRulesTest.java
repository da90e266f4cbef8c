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

/** Issue 16: versions pinned by flows, and result fields checked against response schemas. */
class ContractRulesTest {

    private static final FlowLoader LOADER = new FlowLoader(new TemplateCompiler(),
            new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true));

    @Test
    void aPinnedVersionTheFlowDoesNotDeclareStopsTheStartInOneLine() {
        assertThatThrownBy(() -> LOADER.load(List.of(FlowSource.classpath("flows/invalid/undeclared-version.yaml"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("classpath:flows/invalid/undeclared-version.yaml: intents[order-status].steps[0].calls.order.connector: "
                        + "connector 'shop-api' has no operation 'getOrder@v3'; declared operations are [getOrder, getOrder@v2]");
    }

    @Test
    void aDeclaredVersionLoadsAndIsWhatTheRequestNames() {
        FlowCatalog catalog = LOADER.load(List.of(FlowSource.classpath("flows/contracts.yaml")));

        assertThat(catalog.intent("track").orElseThrow().steps().get(0).calls().get(0).operation()).isEqualTo("getOrder@v2");
    }

    @Test
    void resultFieldsAreCheckedOnlyWhereTheSchemaListsThem() {
        ConnectorOperations listed = new ConnectorOperations(Map.of("shop-api", Map.of("getOrder", Set.of("orderId"),
                "getOrder@v2", Set.of("orderId"))), Map.of("shop-api", Map.of("getOrder@v2", Set.of("orderId", "state"))));
        ConnectorOperations open = new ConnectorOperations(listed.operations());

        List<FlowProblem> problems = LOADER.check(List.of(FlowSource.classpath("flows/contracts.yaml")), Optional.of(listed));

        assertThat(problems).singleElement().extracting(FlowProblem::line).asString()
                .contains("intents[track].reply: reads field 'status' of results.order, which the response schema of "
                        + "shop-api.getOrder@v2 does not have; its fields are [orderId, state]");
        assertThat(LOADER.check(List.of(FlowSource.classpath("flows/contracts.yaml")), Optional.of(open))).isEmpty();
    }
}
