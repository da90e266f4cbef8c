package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.schemas.BackendStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The inbox purge on PostgreSQL: old rows of a table made by an earlier version go, in batches. */
class InboxPurgePostgresIT {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void anInboxFromAnEarlierVersionLosesItsOldRowsInBatches() throws Exception {
        // Given an inbox table as earlier versions made it, with rows from 30 days and 1 day ago
        execute("CREATE TABLE members (id TEXT PRIMARY KEY, points INTEGER NOT NULL)",
                "INSERT INTO members VALUES ('alice', 0)",
                "CREATE TABLE parley_inbox (request_id VARCHAR(200) NOT NULL PRIMARY KEY, connector VARCHAR(200) NOT NULL,"
                        + " operation VARCHAR(200) NOT NULL, result VARCHAR(4000) NOT NULL, applied_at TIMESTAMP NOT NULL)",
                "INSERT INTO parley_inbox SELECT 'old-' || n, 'loyalty-db', 'addPoints', '{\"updated\":1}',"
                        + " now() - interval '30 days' FROM generate_series(1, 1200) AS n",
                "INSERT INTO parley_inbox VALUES ('recent', 'loyalty-db', 'addPoints', '{\"updated\":1}', now() - interval '1 day')");
        try (Connectors connectors = Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: loyalty-db
                    type: jdbc
                    jdbcUrl: %s
                    username: postgres
                    inboxRetention: 7d
                    operations:
                      addPoints:
                        sql: UPDATE members SET points = points + 10 WHERE id = :memberId
                """.formatted(postgres.getJdbcUrl("postgres", "postgres"))).build()) {

            // When the worker applies an update
            assertThat(connectors.call(request("loyalty-db", "addPoints", Map.of("memberId", "alice"))).getStatus())
                    .isEqualTo(BackendStatus.OK);

            // Then, in the background, the table keeps only the rows within the retention
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(count("SELECT count(*) FROM parley_inbox WHERE request_id LIKE 'old-%'")).isZero());
            assertThat(count("SELECT count(*) FROM parley_inbox")).isEqualTo(2);
        }
    }

    private static void execute(String... statements) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static long count(String query) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
