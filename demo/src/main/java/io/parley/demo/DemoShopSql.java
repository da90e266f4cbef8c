package io.parley.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo shop's seed scripts ({@code demo-shop/schema.sql} and {@code demo-shop/data.sql} on
 * the class path). The same files seed H2 in local mode and PostgreSQL in docker-compose, so
 * they are kept to SQL that both accept; running them again resets the shop.
 */
public final class DemoShopSql {

    /** Creates the tables (dropping earlier ones). */
    public static final String SCHEMA = "demo-shop/schema.sql";
    /** Inserts the seed rows. */
    public static final String DATA = "demo-shop/data.sql";

    private DemoShopSql() {
    }

    /** Runs the schema and data scripts on the connection, in one transaction. */
    public static void seed(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String script : List.of(SCHEMA, DATA)) {
                for (String sql : statements(read(script))) {
                    statement.execute(sql);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * The statements of a script: comment lines dropped, split where a line ends with a
     * semicolon. The seed scripts hold no semicolons inside literals, which keeps this simple.
     */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("The last statement of a demo shop script does not end with ';': " + current);
        }
        return statements;
    }

    public static String read(String resource) {
        try (InputStream in = DemoShopSql.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The demo shop script " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the demo shop script " + resource, e);
        }
    }
}
