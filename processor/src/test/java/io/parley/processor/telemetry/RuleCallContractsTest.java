package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.flow.ConnectorOperations;
import io.parley.processor.flow.FlowSource;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** At start, the rules' calls are checked against the connector catalog the workers published. */
class RuleCallContractsTest {

    private static final RuleBook RULES = RuleLoader.load(FlowSource.classpath("telemetry/call-rules.yaml"));

    @Test
    void aCatalogThatHasTheOperationItsParametersAndFieldsPasses() {
        ConnectorOperations catalog = new ConnectorOperations(Map.of("shop", Map.of("managerOnDuty", Set.of("store", "device"))),
                Map.of("shop", Map.of("managerOnDuty", Set.of("name", "phone"))));

        assertThat(RuleCallContracts.problems(RULES, catalog)).isEmpty();
    }

    @Test
    void aConnectorTheCatalogDoesNotDescribeIsNotChecked() {
        assertThat(RuleCallContracts.problems(RULES, new ConnectorOperations(Map.of("other", Map.of("x", Set.of()))))).isEmpty();
    }

    @Test
    void anUnknownOperationAMissingParameterAndAnUnknownFieldAreNamed() {
        assertThat(RuleCallContracts.problems(RULES, new ConnectorOperations(Map.of("shop", Map.of("getStoreHours", Set.of("storeId"))))))
                .singleElement().asString().endsWith("call-rules.yaml: rules[too-warm].calls.manager.operation: connector 'shop' has no"
                        + " operation 'managerOnDuty'; its operations are [getStoreHours]");
        assertThat(RuleCallContracts.problems(RULES, new ConnectorOperations(
                Map.of("shop", Map.of("managerOnDuty", Set.of("store", "shift")))))).singleElement().asString()
                .endsWith("rules[too-warm].calls.manager.params: operation 'managerOnDuty' of connector 'shop' reads [shift],"
                        + " which the call does not give");
        ConnectorOperations noPhone = new ConnectorOperations(Map.of("shop", Map.of("managerOnDuty", Set.of("store"))),
                Map.of("shop", Map.of("managerOnDuty", Set.of("name"))));
        assertThat(RuleCallContracts.problems(RULES, noPhone)).singleElement().asString()
                .endsWith("rules[too-warm].message: uses {{results.manager.phone}}, but the result of 'manager' has no field 'phone';"
                        + " its fields are [name]");
        assertThatThrownBy(() -> RuleCallContracts.verify(RULES, noPhone, "parley.connectors"))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith("[connector catalog on parley.connectors]");
    }
}
