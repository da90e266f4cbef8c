package io.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoShopConnectorsTest {

    private static DemoShopDatabase database;

    @BeforeAll
    static void startDatabase() {
        database = DemoShopDatabase.startInMemory("connectors-test");
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
    }

    @Test
    void theLocalConnectorFileReachesThisRunsBackends() {
        String yaml = DemoShopConnectors.localYaml("http://127.0.0.1:40123", database);

        ConnectorFile file = ConnectorFile.parse(yaml);
        assertThat(yaml).doesNotContainPattern("@[A-Za-z]+@");
        assertThat(file.connector("shop-api").get("baseUrl").asText()).isEqualTo("http://127.0.0.1:40123");
        assertThat(file.connector("shop-db").get("jdbcUrl").asText()).isEqualTo(database.jdbcUrl());
        assertThat(file.connector("shop-db").get("username").asText()).isEqualTo("sa");
        assertThat(file.connector("shop-db").has("password")).as("the worker takes passwords only from config providers").isFalse();
    }

    @Test
    void localModeAndDockerComposeOfferTheSameOperations() {
        ConnectorFile local = ConnectorFile.parse(DemoShopConnectors.localYaml("http://127.0.0.1:1", database));
        ConnectorFile compose = ConnectorFile.compose();

        assertThat(local.operations("shop-api")).isEqualTo(compose.operations("shop-api"));
        assertThat(local.operations("shop-db")).isEqualTo(compose.operations("shop-db"));
    }

    @Test
    void theSqlOperationsAnswerTheDemoContractRows() throws Exception {
        ConnectorFile file = ConnectorFile.compose();
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {

            assertThat(file.row(connection, "shop-db", "getCustomerProfile", Map.of("customerId", "alice")))
                    .contains(Map.of("id", "alice", "name", "Alice", "tier", "gold"));
            assertThat(file.row(connection, "shop-db", "getShipment", Map.of("trackingId", "TRK-1001")))
                    .contains(Map.of("trackingId", "TRK-1001", "carrier", "DHL", "status", "IN_TRANSIT", "eta", "2026-11-26"));
            assertThat(file.row(connection, "shop-db", "getCustomerProfile", Map.of("customerId", "mallory"))).isEmpty();
        }
    }

    @Test
    void aValueThatWouldBreakOutOfItsYamlStringIsRefused() {
        assertThatThrownBy(() -> DemoShopConnectors.fill("url: \"@shopApiUrl@\"", Map.of("shopApiUrl", "http://x\"\nevil: 1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shopApiUrl");
    }
}
