package io.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed scripts run unchanged on a real PostgreSQL, as docker-compose runs them (each file
 * whole), and the demo shop API answers the same over PostgreSQL as over the H2 of local mode.
 */
class DemoShopOnPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedPostgres postgres;
    private static HikariDataSource postgresPool;
    private static DemoShopDatabase h2;
    private static HikariDataSource h2Pool;

    @BeforeAll
    static void startDatabases() throws Exception {
        postgres = EmbeddedPostgres.start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            // Like psql in /docker-entrypoint-initdb.d: each file sent whole, not split by our parser.
            statement.execute(DemoShopSql.read(DemoShopSql.SCHEMA));
            statement.execute(DemoShopSql.read(DemoShopSql.DATA));
        }
        postgresPool = pool(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
        h2 = DemoShopDatabase.startInMemory("postgres-comparison");
        h2Pool = pool(h2.jdbcUrl(), h2.user(), h2.password());
    }

    @AfterAll
    static void stopDatabases() throws Exception {
        postgresPool.close();
        postgres.close();
        h2Pool.close();
        h2.close();
    }

    @Test
    void theShopApiAnswersTheSameOverPostgresAsOverH2() throws Exception {
        List<String> paths = List.of("/orders/1001?customerId=alice", "/orders/1002?customerId=alice",
                "/orders/2001?customerId=bob", "/orders/2001?customerId=alice", "/inventory/MUG-01", "/inventory/TEA-02",
                "/stores/main/hours");
        try (ShopApi onPostgres = ShopApi.builder(postgresPool).start();
             ShopApi onH2 = ShopApi.builder(h2Pool).start()) {
            for (String path : paths) {
                HttpResponse<String> fromPostgres = get(onPostgres, path);
                HttpResponse<String> fromH2 = get(onH2, path);

                assertThat(fromPostgres.statusCode()).as(path).isEqualTo(fromH2.statusCode());
                assertThat(JSON.readTree(fromPostgres.body())).as(path).isEqualTo(JSON.readTree(fromH2.body()));
            }
            JsonNode order = JSON.readTree(get(onPostgres, "/orders/1001?customerId=alice").body());
            assertThat(order.get("total").asText()).isEqualTo("42.50");
            assertThat(order.get("placedAt").asText()).isEqualTo("2026-11-20");
        }
    }

    @Test
    void theConnectorSqlOfDockerComposeAnswersTheDemoContractRowsOnPostgres() throws Exception {
        ConnectorFile file = ConnectorFile.compose();
        try (Connection connection = postgresPool.getConnection()) {

            assertThat(file.row(connection, "shop-db", "getCustomerProfile", Map.of("customerId", "bob")))
                    .contains(Map.of("id", "bob", "name", "Bob", "tier", "silver"));
            assertThat(file.row(connection, "shop-db", "getShipment", Map.of("trackingId", "TRK-1001")))
                    .contains(Map.of("trackingId", "TRK-1001", "carrier", "DHL", "status", "IN_TRANSIT",
                            "eta", "2026-11-26"));
        }
    }

    @Test
    void theScriptsResetTheShopWhenRunAgain() throws Exception {
        try (Connection connection = postgresPool.getConnection()) {
            connection.setReadOnly(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("UPDATE stock SET quantity = 1 WHERE sku = 'TEA-02'");
                DemoShopSql.seed(connection);
            }
        }

        try (ShopApi api = ShopApi.builder(postgresPool).start()) {
            assertThat(JSON.readTree(get(api, "/inventory/TEA-02").body()).get("quantity").asInt()).isZero();
        }
    }

    private static HttpResponse<String> get(ShopApi api, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}
