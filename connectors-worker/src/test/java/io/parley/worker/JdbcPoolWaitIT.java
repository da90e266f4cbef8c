package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A call waits for a pooled database connection only as long as its own deadline allows. */
class JdbcPoolWaitIT {

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
    void aCallWhosePoolIsBusyAnswersTimeoutByItsDeadlineNotByTheConnectorTimeout() throws Exception {
        // Given a pool of one connection held by a long statement (10 s: well past the second call's 800 ms on a loaded
        // machine), and a connector timeout of 20 s
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try (Connectors connectors = Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: loyalty-db
                    type: jdbc
                    jdbcUrl: %s
                    username: postgres
                    poolSize: 1
                    timeout: 20s
                    retry: {maxAttempts: 1}
                    operations:
                      hold:
                        sql: SELECT 1 AS done FROM pg_sleep(10)
                        result: row
                      ping:
                        sql: SELECT 1 AS one
                        result: row
                """.formatted(postgres.getJdbcUrl("postgres", "postgres"))).build()) {
            CompletableFuture<BackendResponse> holding = CompletableFuture.supplyAsync(
                    () -> connectors.call(request("loyalty-db", "hold", Map.of(), Instant.now().plusSeconds(60))), holder);
            await().atMost(Duration.ofSeconds(10)).until(() -> sleepingStatements() == 1);

            // When a second call with 800 ms left to its deadline needs a connection
            Instant deadline = Instant.now().plusMillis(800);
            BackendResponse waiting = connectors.call(request("loyalty-db", "ping", Map.of(), deadline));

            // Then it answers TIMEOUT, saying why, while the first call still holds the connection
            assertThat(waiting.getStatus()).isEqualTo(BackendStatus.TIMEOUT);
            assertThat(waiting.getError()).contains("no connection of connector loyalty-db (pool of 1) was free");
            assertThat(holding).isNotDone();
            assertThat(holding.get().getStatus()).isEqualTo(BackendStatus.OK);
        } finally {
            holder.shutdownNow();
        }
    }

    private static long sleepingStatements() throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(10)%' AND state = 'active'"
                             + " AND pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
