package io.parley.worker.jdbc;

import io.parley.runtime.Secret;
import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.ConnectorSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code jdbc} connector: a database reached through a HikariCP pool.
 *
 * @param jdbcUrl the JDBC URL (PostgreSQL or H2)
 * @param username the database user, if the URL does not carry it
 * @param password the user's password (a config-provider reference)
 * @param poolSize the most connections the pool opens
 * @param inboxTable the table recording applied updates by request id (created when missing)
 * @param inboxRetention how long an applied update stays recorded (a redelivery within it gets the recorded answer)
 */
public record JdbcConnectorDefinition(ConnectorSettings settings, String jdbcUrl, Optional<String> username,
                                      Optional<Secret> password, int poolSize, String inboxTable, Duration inboxRetention,
                                      Map<String, JdbcOperationDefinition> operations) implements ConnectorDefinition {

    @Override
    public Set<String> operationNames() {
        return operations.keySet();
    }
}
