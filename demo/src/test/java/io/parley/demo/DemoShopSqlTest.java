package io.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoShopSqlTest {

    @Test
    void scriptsAreSplitIntoStatementsWithoutCommentsOrSemicolons() {
        List<String> statements = DemoShopSql.statements("""
                -- a comment
                CREATE TABLE a (
                    id INTEGER
                );

                INSERT INTO a (id) VALUES (1);
                """);

        assertThat(statements).containsExactly("CREATE TABLE a (\n    id INTEGER\n)", "INSERT INTO a (id) VALUES (1)");
    }

    @Test
    void aScriptWhoseLastStatementIsUnfinishedIsRefused() {
        assertThatThrownBy(() -> DemoShopSql.statements("INSERT INTO a (id) VALUES (1)"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not end with ';'");
    }

    @Test
    void theSeededShopHoldsTheCustomersOrdersAndShipmentsOfTheDemo() throws Exception {
        try (DemoShopDatabase database = DemoShopDatabase.startInMemory("seed-test");
             Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             Statement statement = connection.createStatement()) {

            assertThat(rows(statement, "SELECT id || ':' || name || ':' || tier FROM customers ORDER BY id"))
                    .containsExactly("alice:Alice:gold", "bob:Bob:silver");
            assertThat(rows(statement, "SELECT id || ':' || customer_id || ':' || status || ':' || COALESCE(tracking_id, '-')"
                    + " FROM orders ORDER BY id"))
                    .containsExactly("1001:alice:SHIPPED:TRK-1001", "1002:alice:PROCESSING:-", "2001:bob:DELIVERED:TRK-2001");
            assertThat(rows(statement, "SELECT tracking_id || ':' || carrier || ':' || status FROM shipments ORDER BY tracking_id"))
                    .containsExactly("TRK-1001:DHL:IN_TRANSIT", "TRK-2001:UPS:DELIVERED");
            assertThat(rows(statement, "SELECT sku || ':' || quantity FROM stock ORDER BY sku"))
                    .containsExactly("MUG-01:12", "TEA-02:0");
        }
    }

    @Test
    void aSecondShopOfTheSameNameIsRefusedInsteadOfResettingTheFirst() {
        try (DemoShopDatabase first = DemoShopDatabase.startInMemory("twice")) {
            assertThat(first.jdbcUrl()).startsWith("jdbc:h2:mem:twice;");

            assertThatThrownBy(() -> DemoShopDatabase.startInMemory("twice"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already open");
        }
    }

    private static List<String> rows(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
