package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The jdbc connector on H2, the database of local mode's demo shop: same SQL, same answers as on PostgreSQL. */
class JdbcConnectorH2Test {

    private final String url = "jdbc:h2:mem:shop-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Connection keepAlive;
    private Connectors connectors;

    @BeforeEach
    void seedShop() throws Exception {
        keepAlive = DriverManager.getConnection(url);
        try (Statement statement = keepAlive.createStatement()) {
            statement.execute("CREATE TABLE customers (id VARCHAR(20) PRIMARY KEY, name VARCHAR(50), tier VARCHAR(10))");
            statement.execute("CREATE TABLE shipments (tracking_id VARCHAR(20) PRIMARY KEY, carrier VARCHAR(10),"
                    + " status VARCHAR(20), eta DATE)");
            statement.execute("INSERT INTO customers VALUES ('alice', 'Alice', 'gold'), ('bob', 'Bob', 'silver')");
            statement.execute("INSERT INTO shipments VALUES ('TRK-1001', 'DHL', 'IN_TRANSIT', DATE '2026-11-26')");
        }
        connectors = Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: shop-db
                    type: jdbc
                    jdbcUrl: "%s"
                    operations:
                      getCustomerProfile:
                        sql: SELECT id, name, tier FROM customers WHERE id = :customerId
                        result: row
                      getShipment:
                        sql: >-
                          SELECT tracking_id AS "trackingId", carrier, status, eta
                          FROM shipments WHERE tracking_id = :trackingId
                        result: row
                      upgradeTier:
                        sql: UPDATE customers SET tier = :tier WHERE id = :customerId
                """.formatted(url)).build();
    }

    @AfterEach
    void close() throws Exception {
        connectors.close();
        keepAlive.close();
    }

    @Test
    void unquotedColumnsComeBackInLowerCaseLikeOnPostgres() {
        BackendResponse response = connectors.call(request("shop-db", "getCustomerProfile", Map.of("customerId", "alice")));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(response.getResult()).isEqualTo("{\"id\":\"alice\",\"name\":\"Alice\",\"tier\":\"gold\"}");
    }

    @Test
    void quotedAliasesKeepTheirCaseAndDatesAreIsoText() {
        BackendResponse response = connectors.call(request("shop-db", "getShipment", Map.of("trackingId", "TRK-1001")));

        assertThat(response.getResult())
                .isEqualTo("{\"trackingId\":\"TRK-1001\",\"carrier\":\"DHL\",\"status\":\"IN_TRANSIT\",\"eta\":\"2026-11-26\"}");
    }

    @Test
    void aWriteIsAppliedOnceThroughTheInboxTableItCreates() throws Exception {
        BackendRequest upgrade = request("shop-db", "upgradeTier", Map.of("customerId", "bob", "tier", "gold"));

        BackendResponse first = connectors.call(upgrade);
        try (Statement statement = keepAlive.createStatement()) {
            statement.execute("UPDATE customers SET tier = 'silver' WHERE id = 'bob'");
        }
        BackendResponse redelivered = connectors.call(upgrade);

        assertThat(first.getResult()).isEqualTo("{\"updated\":1}");
        assertThat(redelivered.getResult()).isEqualTo("{\"updated\":1}");
        try (Statement statement = keepAlive.createStatement();
             ResultSet rows = statement.executeQuery("SELECT tier FROM customers WHERE id = 'bob'")) {
            rows.next();
            // The redelivery did not apply the update again over the later change.
            assertThat(rows.getString(1)).isEqualTo("silver");
        }
        try (Statement statement = keepAlive.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM parley_inbox")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1);
        }
    }
}
