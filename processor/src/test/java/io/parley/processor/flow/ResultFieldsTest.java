package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which fields of a result an intent reads: what a session keeps of a backend's answer. */
class ResultFieldsTest {

    private static final String FLOW = """
            connectors:
              shop-api: [getOrder]
            intents:
              - name: order
                keywords: [order]
                steps:
                  - calls:
                      order:
                        connector: shop-api
                        operation: getOrder
                      profile:
                        connector: shop-api
                        operation: getOrder
                        saveProfile: true
                  - when: "{{results.order.trackingId}}"
                    calls:
                      shipment:
                        connector: shop-api
                        operation: getOrder
                        params:
                          id: "{{results.order.trackingId}}"
                reply: >-
                  {{results.order.status}} {{#results.shipment}}{{carrier}} {{#stops}}{{city}}{{/stops}}{{/results.shipment}}
                  {{#results.order.items}}{{.}}{{/results.order.items}}
                errors:
                  NOT_FOUND: "{{results.order.hint}}"
              - name: whole
                keywords: [whole]
                steps:
                  - calls:
                      dump:
                        connector: shop-api
                        operation: getOrder
                reply: "{{results.dump}}"
            """;

    private final FlowCatalog flows = new FlowLoader(new TemplateCompiler(), new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true))
            .load(List.of(new FlowSource("fields.yaml", () -> new ByteArrayInputStream(FLOW.getBytes(StandardCharsets.UTF_8)))));

    @Test
    void fieldsReadByAnyTemplateOfTheIntentAreKept() {
        assertThat(flows.resultFields("order", "order")).contains(Set.of("trackingId", "status", "items", "hint"));
    }

    @Test
    void namesInsideASectionOverAResultAreItsFields() {
        assertThat(flows.resultFields("order", "shipment")).hasValueSatisfying(fields ->
                assertThat(fields).contains("carrier", "stops"));
    }

    @Test
    void aResultWrittenWholeOrSavedAsProfileIsKeptWhole() {
        assertThat(flows.resultFields("whole", "dump")).isEmpty();
        assertThat(flows.resultFields("order", "profile")).isEmpty();
    }

    @Test
    void aCallNoTemplateReadsKeepsNothingAndAnUnknownIntentNothingEither() {
        assertThat(flows.resultFields("order", "unread")).isEqualTo(Optional.of(Set.of()));
        assertThat(flows.resultFields("gone", "order")).isEqualTo(Optional.of(Set.of()));
    }
}
