package io.parley.e2e.env;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The loyalty programme's PostgreSQL database (a real server, started from zonky's embedded
 * binaries): an account per customer with points and, for some, a membership card; and the
 * redemptions written by the {@code redeemPoints} operation.
 */
public final class LoyaltyDatabase implements AutoCloseable {

    /** The worker's inbox table: one row per applied write, by request id. */
    public static final String INBOX_TABLE = "parley_inbox";
    public static final int STARTING_POINTS = 1000;

    private final EmbeddedPostgres postgres;

    private LoyaltyDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static LoyaltyDatabase start() {
        try {
            LoyaltyDatabase database = new LoyaltyDatabase(EmbeddedPostgres.builder()
                    // Several workers with their pools, and the test's own checks.
                    .setServerConfig("max_connections", "100")
                    .start());
            database.execute(
                    "CREATE TABLE loyalty_accounts (customer_id TEXT PRIMARY KEY, points INTEGER NOT NULL, card_number TEXT)",
                    "CREATE TABLE redemptions (id BIGSERIAL PRIMARY KEY, customer_id TEXT NOT NULL,"
                            + " conversation_id TEXT NOT NULL, points INTEGER NOT NULL)");
            return database;
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Opens an account with {@link #STARTING_POINTS} for each customer; a card number when it has one. */
    public void openAccounts(Map<String, String> cardNumbersByCustomer) {
        try (Connection connection = connect();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO loyalty_accounts (customer_id, points, card_number) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> account : cardNumbersByCustomer.entrySet()) {
                insert.setString(1, account.getKey());
                insert.setInt(2, STARTING_POINTS);
                insert.setString(3, account.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not open the loyalty accounts: " + e.getMessage(), e);
        }
    }

    /** Redemption rows per conversation. */
    public Map<String, Integer> redemptionsByConversation() {
        return countBy("SELECT conversation_id, count(*) FROM redemptions GROUP BY conversation_id");
    }

    /** Points left per customer. */
    public Map<String, Integer> balances() {
        return countBy("SELECT customer_id, points FROM loyalty_accounts");
    }

    /** Rows in the worker's inbox, by operation. */
    public Map<String, Integer> inboxByOperation() {
        return countBy("SELECT operation, count(*) FROM " + INBOX_TABLE + " GROUP BY operation");
    }

    private Map<String, Integer> countBy(String query) {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + query + ": " + e.getMessage(), e);
        }
    }

    private void execute(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare the loyalty database: " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
