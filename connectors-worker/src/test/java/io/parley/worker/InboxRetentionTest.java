package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.ManualTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JDBC inbox forgets applied updates after its retention, in the background, and remembers them until then. */
class InboxRetentionTest {

    private final String url = "jdbc:h2:mem:loyalty-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final ManualTime time = new ManualTime(Instant.parse("2026-12-01T10:00:00Z"));
    private Connection keepAlive;
    private Connectors connectors;

    @BeforeEach
    void seed() throws Exception {
        keepAlive = DriverManager.getConnection(url);
        try (Statement statement = keepAlive.createStatement()) {
            statement.execute("CREATE TABLE members (id VARCHAR(20) PRIMARY KEY, points INTEGER NOT NULL)");
            statement.execute("INSERT INTO members VALUES ('alice', 0)");
        }
        connectors = Connectors.builder().timing(time.timing(0.0)).yaml("connectors.yaml", connector("7d")).build();
    }

    @AfterEach
    void close() throws Exception {
        connectors.close();
        keepAlive.close();
    }

    private String connector(String retention) {
        return """
                connectors:
                  - name: loyalty-db
                    type: jdbc
                    jdbcUrl: "%s"
                    inboxRetention: %s
                    operations:
                      addPoints:
                        sql: UPDATE members SET points = points + 10 WHERE id = :memberId
                """.formatted(url, retention);
    }

    @Test
    void oldRowsArePurgedRecentOnesStayAndARedeliveryWithinRetentionGetsTheRecordedAnswer() throws Exception {
        // Given an update applied 8 days ago and one applied 2 days ago (retention 7 days)
        BackendRequest old = addPoints();
        assertThat(connectors.call(old).getStatus()).isEqualTo(BackendStatus.OK);
        time.advance(Duration.ofDays(6));
        BackendRequest recent = addPoints();
        assertThat(connectors.call(recent).getStatus()).isEqualTo(BackendStatus.OK);
        time.advance(Duration.ofDays(2));

        // When the recent request is delivered again
        BackendResponse redelivered = connectors.call(redeliveryOf(recent));

        // Then it gets the recorded answer without applying the update again, and the purge this
        // update started removes only the row older than the retention
        assertThat(redelivered.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(redelivered.getResult()).isEqualTo("{\"updated\":1}");
        assertThat(points()).isEqualTo(20);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(inboxRequestIds()).containsExactly(recent.getRequestId()));
    }

    @ParameterizedTest(name = "inboxRetention: {0}")
    @ValueSource(strings = {"30m", "0s", "4000d"})
    void aRetentionOutOfRangeStopsTheStartNamingTheField(String retention) {
        assertThatThrownBy(() -> Connectors.builder().yaml("connectors.yaml", connector(retention)).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("connectors.yaml")
                .hasMessageContaining("inboxRetention")
                .hasMessageContaining("1h to 3650d");
    }

    private BackendRequest addPoints() {
        return request("loyalty-db", "addPoints", Map.of("memberId", "alice"), time.instant().plus(Duration.ofSeconds(30)));
    }

    private BackendRequest redeliveryOf(BackendRequest request) {
        return BackendRequest.newBuilder(request).setDeadline(time.instant().plus(Duration.ofSeconds(30))).build();
    }

    private int points() throws Exception {
        try (Statement statement = keepAlive.createStatement();
             ResultSet rows = statement.executeQuery("SELECT points FROM members WHERE id = 'alice'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private List<String> inboxRequestIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Statement statement = keepAlive.createStatement();
             ResultSet rows = statement.executeQuery("SELECT request_id FROM parley_inbox ORDER BY applied_at")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
