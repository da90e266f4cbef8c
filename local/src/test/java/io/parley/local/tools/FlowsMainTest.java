package io.parley.local.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.cli.FlowsCommand;
import io.parley.processor.flow.ConnectorOperations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley flows validate --connectors}: operations and their parameters as the worker reads
 * connector files; the shipped demo flows are clean against the shipped connector files.
 */
class FlowsMainTest {

    private static final Path DEPLOY_CONNECTORS = Path.of("..", "deploy", "connectors.yaml");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void theDemoFlowsAreCleanAgainstTheDeployedConnectorFiles() {
        // deploy/connectors.yaml takes the database password from ${env:SHOP_DB_PASSWORD}, set by the build for this module.
        int exit = FlowsCommand.commandLine(out, WorkerConnectorOperations::read)
                .execute("validate", "classpath:flows/demo-shop.yaml", "--connectors", DEPLOY_CONNECTORS.toString());

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("OK: 1 flow file checked against 1 connector file(s), no problems");
        assertThat(exit).isZero();
    }

    @Test
    void parametersArePlaceholdersOfPathQueryBodyAndSql(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("connectors.yaml"), """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: https://shop.example.com
                    operations:
                      getOrder:
                        path: /orders/{orderId}
                        query: {customerId: "{customerId}"}
                      addToCart:
                        method: POST
                        path: /carts/{cartId}/items
                        body: {sku: "{sku}", quantity: "{quantity:int}"}
                  - name: shop-db
                    type: jdbc
                    jdbcUrl: jdbc:h2:mem:shop
                    operations:
                      getShipment:
                        sql: SELECT * FROM shipments WHERE tracking_id = :trackingId
                        result: row
                """);

        ConnectorOperations operations = WorkerConnectorOperations.read(List.of(file));

        assertThat(operations.parameters("shop-api", "getOrder")).contains(Set.of("orderId", "customerId"));
        assertThat(operations.parameters("shop-api", "addToCart")).contains(Set.of("cartId", "sku", "quantity"));
        assertThat(operations.parameters("shop-db", "getShipment")).contains(Set.of("trackingId"));
        assertThat(operations.parameters("shop-db", "nothing")).isEmpty();
    }

    @Test
    void aBrokenConnectorFileIsNamedAndTheExitCodeIsOne(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("connectors.yaml"), "connectors:\n  - name: x\n    type: carrier-pigeon\n");

        assertThatThrownBy(() -> WorkerConnectorOperations.read(List.of(file))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("connectors.yaml");
        assertThat(FlowsCommand.commandLine(out, WorkerConnectorOperations::read)
                .execute("validate", "classpath:flows/demo-shop.yaml", "--connectors", file.toString())).isEqualTo(1);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("connector files: ").contains("connectors.yaml");
    }
}
