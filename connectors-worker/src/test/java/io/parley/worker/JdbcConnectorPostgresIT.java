package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The jdbc connector on a real PostgreSQL server. */
class JdbcConnectorPostgresIT {

    private static EmbeddedPostgres postgres;
    private static Path serverLog;

    private String connectorsYaml;
    private Connectors connectors;

    @BeforeAll
    static void startPostgres() throws Exception {
        serverLog = Files.createTempFile("postgres", ".log");
        // Every statement the server runs is logged, with its parameters, so tests can see what was sent.
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("log_statement", "all")
                .setErrorRedirector(Redirect.appendTo(serverLog.toFile()))
                .setOutputRedirector(Redirect.appendTo(serverLog.toFile()))
                .start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
        Files.deleteIfExists(serverLog);
    }

    @BeforeEach
    void seedShop() throws Exception {
        execute("DROP TABLE IF EXISTS notes, orders, customers, worker_inbox",
                "CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, tier TEXT NOT NULL)",
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, status TEXT NOT NULL, total NUMERIC(10, 2))",
                "CREATE TABLE notes (id SERIAL PRIMARY KEY, order_id INTEGER NOT NULL, text TEXT NOT NULL)",
                "INSERT INTO customers VALUES ('alice', 'Alice', 'gold'), ('bob', 'Bob', 'silver')",
                "INSERT INTO orders VALUES (1001, 'alice', 'SHIPPED', 42.50), (1002, 'alice', 'PROCESSING', 9.90),"
                        + " (2001, 'bob', 'DELIVERED', 15.00)");
        connectorsYaml = """
                connectors:
                  - name: shop-db
                    type: jdbc
                    jdbcUrl: %s
                    username: postgres
                    inboxTable: worker_inbox
                    retry: {maxAttempts: 2, initialBackoff: 10ms}
                    operations:
                      getCustomerProfile:
                        sql: SELECT id, name, tier FROM customers WHERE id = :customerId
                        result: row
                      listOrders:
                        sql: |
                          SELECT id AS "orderId", status, total
                          FROM orders WHERE customer_id = :customerId ORDER BY id
                      getOrder:
                        sql: SELECT id, status FROM orders WHERE id = :orderId
                        params: {orderId: integer}
                        result: row
                      cancelOrder:
                        sql: UPDATE orders SET status = 'CANCELLED' WHERE id = :orderId AND status <> 'CANCELLED'
                        params: {orderId: integer}
                      addNote:
                        sql: INSERT INTO notes (order_id, text) VALUES (:orderId, :text)
                        params: {orderId: integer}
                """.formatted(postgres.getJdbcUrl("postgres", "postgres"));
        connectors = newWorkerConnectors();
    }

    /** The connectors as one more worker process would load them from the same file. */
    private Connectors newWorkerConnectors() {
        return Connectors.builder().yaml("connectors.yaml", connectorsYaml).build();
    }

    @AfterEach
    void closeConnectors() {
        connectors.close();
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

    private BackendResponse call(String operation, Map<String, String> params) {
        return connectors.call(request("shop-db", operation, params));
    }

    @Test
    void aSelectWithNamedParametersAnswersTheRowsAsAJsonArray() {
        BackendResponse response = call("listOrders", Map.of("customerId", "alice"));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(response.getResult()).isEqualTo("[{\"orderId\":1001,\"status\":\"SHIPPED\",\"total\":42.50},"
                + "{\"orderId\":1002,\"status\":\"PROCESSING\",\"total\":9.90}]");
        assertThat(response.getAttempts()).isEqualTo(1);
    }

    @Test
    void aSingleRowQueryAnswersOneObjectOrNotFound() {
        BackendResponse alice = call("getCustomerProfile", Map.of("customerId", "alice"));
        BackendResponse nobody = call("getCustomerProfile", Map.of("customerId", "mallory"));

        assertThat(alice.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(alice.getResult()).isEqualTo("{\"id\":\"alice\",\"name\":\"Alice\",\"tier\":\"gold\"}");
        assertThat(nobody.getStatus()).isEqualTo(BackendStatus.NOT_FOUND);
    }

    @Test
    void typedParametersAreConvertedAndBadValuesRejectedWithoutAQuery() {
        assertThat(call("getOrder", Map.of("orderId", "1001")).getResult()).isEqualTo("{\"id\":1001,\"status\":\"SHIPPED\"}");

        BackendResponse bad = call("getOrder", Map.of("orderId", "1001 OR 1=1"));

        assertThat(bad.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(bad.getError()).isEqualTo("parameter 'orderId' is not a valid integer");
        assertThat(bad.getAttempts()).isZero();
    }

    @Test
    void anUpdateAnswersTheNumberOfRowsItChanged() throws Exception {
        BackendResponse response = call("cancelOrder", Map.of("orderId", "1002"));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(response.getResult()).isEqualTo("{\"updated\":1}");
        assertThat(count("SELECT count(*) FROM orders WHERE status = 'CANCELLED'")).isEqualTo(1);
    }

    @Test
    void aHostileValueIsBoundAsAParameterAndNeverSpliced() throws Exception {
        String hostile = "1; DROP TABLE orders; --";

        BackendResponse response = call("listOrders", Map.of("customerId", hostile));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(response.getResult()).isEqualTo("[]");
        assertThat(count("SELECT count(*) FROM orders")).isEqualTo(3);
        // The server ran the configured text with a placeholder, and received the value as a parameter.
        String log = Files.readString(serverLog);
        // (The server log indents the continuation lines of a statement with a tab.)
        assertThat(log).contains("execute <unnamed>: SELECT id AS \"orderId\", status, total\n"
                + "\tFROM orders WHERE customer_id = $1 ORDER BY id");
        assertThat(log).contains("parameters: $1 = '1; DROP TABLE orders; --'");
        assertThat(log).doesNotContain("customer_id = '1; DROP", "statement: DROP TABLE orders");
    }

    @Test
    void theSameRequestDeliveredTwiceAppliesItsWriteOnceAndGetsTheSameAnswer() throws Exception {
        BackendRequest note = request("shop-db", "addNote", Map.of("orderId", "1001", "text", "leave at the door"));

        BackendResponse first = connectors.call(note);
        BackendResponse redelivered = connectors.call(note);

        assertThat(first.getResult()).isEqualTo("{\"updated\":1}");
        assertThat(redelivered.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(redelivered.getResult()).isEqualTo(first.getResult());
        assertThat(count("SELECT count(*) FROM notes")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM worker_inbox WHERE request_id = '" + note.getRequestId() + "'")).isEqualTo(1);
    }

    @Test
    void concurrentDeliveriesOfOneRequestApplyItsWriteOnce() throws Exception {
        BackendRequest note = request("shop-db", "addNote", Map.of("orderId", "1001", "text", "gift wrap"));
        ExecutorService deliveries = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<BackendResponse>> answers = List.of(
                    connectors.callAsync(note, deliveries), connectors.callAsync(note, deliveries),
                    connectors.callAsync(note, deliveries), connectors.callAsync(note, deliveries));

            assertThat(answers).allSatisfy(answer -> assertThat(answer.get().getResult()).isEqualTo("{\"updated\":1}"));
            assertThat(count("SELECT count(*) FROM notes")).isEqualTo(1);
        } finally {
            deliveries.shutdownNow();
        }
    }

    /**
     * Workers that start together on a database without the inbox table all create it at their
     * first write. PostgreSQL refuses all but one of concurrent CREATE TABLE IF NOT EXISTS, with
     * 23505, 42P07 or 42710 depending on the moment; none of that may reach a user as a failed write.
     */
    @Test
    void workersCreatingTheInboxTogetherAllApplyTheirWrites() throws Exception {
        int workers = 6;
        ExecutorService deliveries = Executors.newFixedThreadPool(workers);
        try {
            for (int round = 0; round < 15; round++) {
                execute("DROP TABLE IF EXISTS worker_inbox");
                List<Connectors> eachWorker = new ArrayList<>();
                for (int i = 0; i < workers; i++) {
                    eachWorker.add(newWorkerConnectors());
                }
                CountDownLatch start = new CountDownLatch(1);
                List<CompletableFuture<BackendResponse>> answers = new ArrayList<>();
                for (int i = 0; i < workers; i++) {
                    Connectors worker = eachWorker.get(i);
                    BackendRequest note = request("shop-db", "addNote", Map.of("orderId", "1001", "text", "round " + round + " note " + i));
                    answers.add(CompletableFuture.supplyAsync(() -> {
                        awaitUninterruptibly(start);
                        return worker.call(note);
                    }, deliveries));
                }
                start.countDown();
                for (CompletableFuture<BackendResponse> answer : answers) {
                    BackendResponse response = answer.get();
                    assertThat(response.getStatus()).as("round %d: %s", round, response.getError()).isEqualTo(BackendStatus.OK);
                }
                eachWorker.forEach(Connectors::close);
            }
            assertThat(count("SELECT count(*) FROM notes")).isEqualTo(15L * workers);
        } finally {
            deliveries.shutdownNow();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFailedWriteRecordsNothingSoARedeliveryTriesAgain() throws Exception {
        BackendRequest note = request("shop-db", "addNote", Map.of("orderId", "1001", "text", "first try"));
        execute("ALTER TABLE notes ADD CONSTRAINT no_notes_yet CHECK (false) NOT VALID");

        BackendResponse failed = connectors.call(note);
        execute("ALTER TABLE notes DROP CONSTRAINT no_notes_yet");
        BackendResponse redelivered = connectors.call(note);

        assertThat(failed.getStatus()).isEqualTo(BackendStatus.CLIENT_ERROR);
        assertThat(redelivered.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(count("SELECT count(*) FROM notes")).isEqualTo(1);
    }
}
