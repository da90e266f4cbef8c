package io.parley.local.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.cli.FlowsCommand;
import io.parley.processor.flow.ConnectorOperations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: {@code parley flows validate --connectors} checks what flows read of results against
 * the operations' response schemas, and the versions flows pin against the connector files.
 */
class ContractsCheckTest {

    private static final String CONNECTORS = """
            connectors:
              - name: shop-api
                type: http
                baseUrl: https://shop.example.com
                operations:
                  getOrder:
                    default: v1
                    versions:
                      v1:
                        path: /v1/orders/{orderId}
                        response: {schema: schemas/order-v1.json}
                      v2:
                        path: /v2/orders/{orderId}
                        response:
                          root: /order
                          schema:
                            type: object
                            properties:
                              order: {$ref: '#/$defs/order'}
                            $defs:
                              order: {type: object, properties: {orderId: {type: string}, state: {type: string},
                                      lines: {type: array, items: {type: object, properties: {sku: {type: string}}}}}}
                  getStock:
                    path: /stock/{sku}
                    response:
                      fields: {quantity: /available/count}
                      schema: {type: object}
                  getNotes:
                    path: /notes/{orderId}
                    response:
                      schema: {type: object, additionalProperties: {type: string}}
            """;

    private static final String FLOW = """
            version: "1"
            connectors:
              shop-api: [getOrder, getOrder@v2, getStock, getNotes]
            intents:
              - name: track
                keywords: [track]
                steps:
                  - calls:
                      order:
                        connector: shop-api
                        operation: %s
                        params: {orderId: "1"}
                reply: "%s"
            """;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private Path connectors;

    @BeforeEach
    void writeConnectors(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("schemas"));
        Files.writeString(dir.resolve("schemas/order-v1.json"), """
                {"type": "object", "required": ["orderId", "status"],
                 "properties": {"orderId": {"type": "string"}, "status": {"type": "string"}}}""");
        connectors = Files.writeString(dir.resolve("connectors.yaml"), CONNECTORS);
    }

    private int validate(Path dir, String operation, String reply) throws IOException {
        Path flow = Files.writeString(dir.resolve("flow.yaml"), FLOW.formatted(operation, reply));
        return FlowsCommand.commandLine(out, WorkerConnectorOperations::read)
                .execute("validate", flow.toString(), "--connectors", connectors.toString());
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theResultFieldsComeFromTheSchemaAtTheMappingsRootOrFromTheMappedFields() {
        ConnectorOperations operations = WorkerConnectorOperations.read(List.of(connectors));

        assertThat(operations.resultFields("shop-api", "getOrder@v1")).contains(Set.of("orderId", "status"));
        assertThat(operations.resultFields("shop-api", "getOrder")).contains(Set.of("orderId", "status"));
        assertThat(operations.resultFields("shop-api", "getOrder@v2")).contains(Set.of("orderId", "state", "lines"));
        assertThat(operations.resultFields("shop-api", "getStock")).contains(Set.of("quantity"));
        assertThat(operations.resultFields("shop-api", "getNotes")).as("additionalProperties leaves it open").isEmpty();
        assertThat(operations.parameters("shop-api", "getOrder")).contains(Set.of("orderId"));
        assertThat(operations.parameters("shop-api", "getOrder@v2")).contains(Set.of("orderId"));
    }

    @Test
    void aTemplateReadingAFieldTheSchemaDoesNotHaveIsNamedWithFlowTemplateAndField(@TempDir Path dir) throws IOException {
        // When a flow pinned to v2 still reads v1's 'status'
        int exit = validate(dir, "getOrder@v2", "Your order is {{results.order.status}}.");

        // Then one line names the flow file, the intent's template and the field
        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains("flow.yaml:13:5 intents[track].reply: reads field 'status' of results.order, which the response"
                + " schema of shop-api.getOrder@v2 does not have; its fields are [lines, orderId, state]");
    }

    @Test
    void namesInsideASectionOverAResultAreFieldsOfIt(@TempDir Path dir) throws IOException {
        int exit = validate(dir, "getOrder@v2", "{{#results.order}}{{stat}} for {{user.id}}{{/results.order}}");

        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains("reads field 'stat' of results.order").doesNotContain("'user'");
    }

    @Test
    void aFlowReadingOnlyFieldsTheSchemaHasIsClean(@TempDir Path dir) throws IOException {
        int exit = validate(dir, "getOrder@v2",
                "{{results.order.state}}: {{#results.order.lines}}{{sku}} {{/results.order.lines}}");

        assertThat(output()).contains("no problems");
        assertThat(exit).isZero();
    }

    @Test
    void thePlainNameIsCheckedAgainstTheDefaultVersion(@TempDir Path dir) throws IOException {
        assertThat(validate(dir, "getOrder", "{{results.order.status}}")).isZero();
    }

    @Test
    void aPinnedVersionTheConnectorFilesDoNotHaveIsAProblem(@TempDir Path dir) throws IOException {
        Path flow = Files.writeString(dir.resolve("flow.yaml"), FLOW.formatted("getOrder@v3", "{{results.order.status}}")
                .replace("getOrder@v2,", "getOrder@v2, getOrder@v3,"));

        int exit = FlowsCommand.commandLine(out, WorkerConnectorOperations::read)
                .execute("validate", flow.toString(), "--connectors", connectors.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains("the connector files have no operation 'getOrder@v3' of connector 'shop-api'");
    }
}
