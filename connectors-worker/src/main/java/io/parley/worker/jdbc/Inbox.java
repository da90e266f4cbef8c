package io.parley.worker.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The table where a JDBC connector records each update it applied, by request id, with the
 * answer it gave. The record is written in the same transaction as the update, so a request
 * delivered again (worker restart, share-group redelivery, retry) finds it and gets the same
 * answer without applying the update twice. The table is created when missing, with DDL that
 * PostgreSQL and H2 both accept.
 */
final class Inbox {

    /** Names spliced into SQL are checked against this; they come from configuration, never from requests. */
    static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    /** The SQLState of a unique-key violation, in PostgreSQL and H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final String table;
    private final Clock clock;
    private volatile boolean ready;

    Inbox(String table, Clock clock) {
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("'" + table + "' is not a valid table name");
        }
        this.table = table;
        this.clock = clock;
    }

    /**
     * Creates the table if it does not exist (once per connector). Workers starting together race:
     * PostgreSQL refuses all but one of concurrent {@code CREATE TABLE IF NOT EXISTS}, as a unique
     * violation (23505), a duplicate table (42P07) or a duplicate type (42710) depending on the
     * moment. Whatever it said, what matters is whether the table is there now.
     */
    synchronized void ensureTable(Connection connection) throws SQLException {
        if (ready) {
            return;
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "request_id VARCHAR(200) NOT NULL PRIMARY KEY, "
                    + "connector VARCHAR(200) NOT NULL, "
                    + "operation VARCHAR(200) NOT NULL, "
                    + "result VARCHAR(4000) NOT NULL, "
                    + "applied_at TIMESTAMP NOT NULL)");
        } catch (SQLException e) {
            if (!exists(connection)) {
                throw e;
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        ready = true;
    }

    private boolean exists(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The answer recorded for a request, if its update was applied. */
    Optional<String> find(Connection connection, String requestId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT result FROM " + table + " WHERE request_id = ?")) {
            select.setString(1, requestId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /** Records an applied update; fails with a unique violation when another delivery recorded it first. */
    void record(Connection connection, String requestId, String connector, String operation, String result) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (request_id, connector, operation, result, applied_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, requestId);
            insert.setString(2, connector);
            insert.setString(3, operation);
            insert.setString(4, result);
            insert.setTimestamp(5, Timestamp.from(clock.instant()));
            insert.executeUpdate();
        }
    }

    static boolean isDuplicate(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Deletes up to {@code limit} rows recorded before {@code before}, oldest first. An index on
     * {@code applied_at} makes this cheap on a large inbox; without one it scans the table.
     *
     * @return how many rows went
     */
    int purgeBatch(Connection connection, java.time.Instant before, int limit, int timeoutSeconds) throws SQLException {
        // DELETE ... LIMIT is not portable; a keyed subquery with LIMIT is (PostgreSQL and H2).
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE request_id IN ("
                + "SELECT request_id FROM " + table + " WHERE applied_at < ? ORDER BY applied_at LIMIT ?)")) {
            delete.setQueryTimeout(timeoutSeconds);
            delete.setTimestamp(1, Timestamp.from(before));
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }
}
