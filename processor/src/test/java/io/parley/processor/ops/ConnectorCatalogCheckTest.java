package io.parley.processor.ops;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.processor.flow.Timing;
import io.parley.schemas.CatalogOperation;
import io.parley.schemas.ConnectorCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * The start check on catalog records, without Kafka: flows/contracts.yaml's 'track' reads
 * {@code results.order.status} of {@code getOrder@v2}, 'status' the same of plain {@code getOrder}
 * (the default version).
 */
class ConnectorCatalogCheckTest {

    private static final FlowCatalog FLOWS = new FlowLoader(new TemplateCompiler(),
            new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true)).load(List.of(FlowSource.classpath("flows/contracts.yaml")));

    private static CatalogOperation operation(String name, boolean isDefault, List<String> fields) {
        int at = name.indexOf('@');
        return CatalogOperation.newBuilder().setName(name).setOperation(at < 0 ? name : name.substring(0, at))
                .setVersion(at < 0 ? null : name.substring(at + 1)).setIsDefault(isDefault).setParameters(List.of("orderId"))
                .setResponseSchema(fields == null ? null : "{\"type\":\"object\"}").setResultFields(fields)
                .setDefinitionHash("00").build();
    }

    private static ConnectorCatalog shop(CatalogOperation... operations) {
        return ConnectorCatalog.newBuilder().setConnector("shop-api").setType("http").setOperations(List.of(operations))
                .setPublishedAt(Instant.EPOCH).build();
    }

    @Test
    void aTemplateReadingAFieldThePinnedVersionLacksStopsTheStartNamingFlowTemplateAndField() {
        // Given a catalog where v2 of getOrder has no 'status'
        ConnectorCatalog catalog = shop(operation("getOrder@v1", true, List.of("status", "total")),
                operation("getOrder@v2", false, List.of("orderId", "state")));

        // When the flows are checked, Then the start stops with one line
        assertThatThrownBy(() -> ConnectorCatalogCheck.verify(List.of(catalog), FLOWS, "parley.connectors"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("contracts.yaml")
                .hasMessageContaining("intents[track].reply: reads field 'status' of results.order, which the response schema of"
                        + " shop-api.getOrder@v2 does not have; its fields are [orderId, state]")
                .hasMessageContaining("parley.connectors")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aPlainOperationNameIsCheckedAgainstTheDefaultVersion() {
        // Given a catalog whose default version v1 lacks 'status' and whose v2 has it
        ConnectorCatalog catalog = shop(operation("getOrder@v1", true, List.of("total")),
                operation("getOrder@v2", false, List.of("status")));

        // Then the intent calling plain getOrder is the one named
        assertThatThrownBy(() -> ConnectorCatalogCheck.verify(List.of(catalog), FLOWS, "parley.connectors"))
                .hasMessageContaining("intents[status].reply: reads field 'status' of results.order, which the response schema of"
                        + " shop-api.getOrder does not have");
    }

    @Test
    void matchingSchemasOpenSchemasAndAnEmptyCatalogLetTheStartGoOn() {
        assertThatCode(() -> ConnectorCatalogCheck.verify(List.of(shop(operation("getOrder@v1", true, List.of("status")),
                operation("getOrder@v2", false, List.of("status", "state")))), FLOWS, "parley.connectors")).doesNotThrowAnyException();
        assertThatCode(() -> ConnectorCatalogCheck.verify(List.of(shop(operation("getOrder@v1", true, null),
                operation("getOrder@v2", false, null))), FLOWS, "parley.connectors")).doesNotThrowAnyException();
        assertThatCode(() -> ConnectorCatalogCheck.verify(List.of(), FLOWS, "parley.connectors")).doesNotThrowAnyException();
    }
}
