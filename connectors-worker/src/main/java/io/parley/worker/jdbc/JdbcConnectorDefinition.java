package io.parley.worker.jdbc;

import io.parley.runtime.Secret;
import io.parley.worker.connector.OperationConnectorDefinition;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.OperationParameter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
                                      Map<String, JdbcOperationDefinition> operations) implements OperationConnectorDefinition<JdbcOperationDefinition> {

    @Override
    public Optional<List<OperationParameter>> parametersOf(JdbcOperationDefinition definition) {
        return Optional.of(definition.sql().parameters().stream().distinct().map(name -> new OperationParameter(name,
                jsonType(definition.parameterTypes().getOrDefault(name, SqlParameterType.STRING)), true)).toList());
    }

    private static String jsonType(SqlParameterType type) {
        return switch (type) {
            case INTEGER -> "integer";
            case DECIMAL -> "number";
            case BOOLEAN -> "boolean";
            case STRING, DATE, TIMESTAMP -> "string";
        };
    }
}
