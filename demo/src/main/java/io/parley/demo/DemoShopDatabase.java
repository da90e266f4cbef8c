package io.parley.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The demo shop's SQL database in local mode: an in-memory H2 database in this JVM, seeded at
 * start from {@link DemoShopSql}. It is reachable by its JDBC URL from any pool in the same JVM
 * (the worker's {@code jdbc} connector, the demo shop API) and lives until {@link #close()}.
 *
 * <p>H2 runs in its PostgreSQL compatibility mode with lower-case identifiers, so queries and
 * result column names behave as they do on the PostgreSQL of docker-compose.
 */
public final class DemoShopDatabase implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String USER = "sa";
    private static final String PASSWORD = "";

    private final String jdbcUrl;
    /** Held open so the database outlives pools that close all their connections. */
    private final Connection keeper;

    private DemoShopDatabase(String jdbcUrl, Connection keeper) {
        this.jdbcUrl = jdbcUrl;
        this.keeper = keeper;
    }

    /**
     * Creates and seeds the in-memory database {@code name}.
     *
     * @throws IllegalStateException when a database of that name is already open in this JVM
     *     (two demo shops would otherwise share and reset each other's data)
     */
    public static DemoShopDatabase startInMemory(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A demo shop database name is 1-64 letters, digits, '_' or '-': " + name);
        }
        String url = "jdbc:h2:mem:" + name
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try {
            // IFEXISTS=TRUE succeeds only when the database is already open: a second shop must not reseed it.
            DriverManager.getConnection(url + ";IFEXISTS=TRUE", USER, PASSWORD).close();
            throw new IllegalStateException("A demo shop database named '" + name + "' is already open in this JVM");
        } catch (SQLException expectedWhenAbsent) {
            // The usual case: no such database yet.
        }
        try {
            Connection keeper = DriverManager.getConnection(url, USER, PASSWORD);
            DemoShopSql.seed(keeper);
            return new DemoShopDatabase(url, keeper);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the demo shop database: " + e.getMessage(), e);
        }
    }

    /** The JDBC URL for pools in this JVM. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The database user (H2's default; the in-memory database is not reachable from outside the JVM). */
    public String user() {
        return USER;
    }

    /** The password of {@link #user()}: empty. */
    public String password() {
        return PASSWORD;
    }

    /** A data source of the database for readers in this JVM (no pool: a connection per use). */
    public DataSource dataSource() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(USER);
        dataSource.setPassword(PASSWORD);
        return dataSource;
    }

    /** Drops the database and everything in it. */
    @Override
    public void close() {
        try (Statement statement = keeper.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException("The demo shop database did not shut down: " + e.getMessage(), e);
        }
    }
}
