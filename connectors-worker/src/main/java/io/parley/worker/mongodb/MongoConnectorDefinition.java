package io.parley.worker.mongodb;

import io.parley.runtime.Secret;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.OperationConnectorDefinition;
import io.parley.worker.connector.OperationParameter;
import io.parley.worker.http.TlsSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code mongodb} connector: one database of a MongoDB deployment.
 *
 * @param uri the connection string without credentials ({@code mongodb://host:27017}, {@code mongodb+srv://...})
 * @param database the database the operations' collections are in
 * @param username the user, if the deployment requires authentication
 * @param password the user's password (a config-provider reference)
 * @param authSource the database the user is defined in (default {@code admin})
 * @param poolSize the most connections the driver opens
 * @param operations the operations by name
 * @param tls whether connections use TLS ({@code tls:} section, {@code tls=true} in the uri, or {@code mongodb+srv://})
 * @param tlsSettings trust, client certificate and minimum version when {@code tls} (the JVM's defaults otherwise)
 */
public record MongoConnectorDefinition(ConnectorSettings settings, String uri, String database, Optional<String> username,
                                       Optional<Secret> password, String authSource, int poolSize,
                                       Map<String, MongoOperationDefinition> operations, boolean tls,
                                       TlsSettings tlsSettings) implements OperationConnectorDefinition<MongoOperationDefinition> {

    @Override
    public Optional<List<OperationParameter>> parametersOf(MongoOperationDefinition definition) {
        return Optional.of(definition.parameters().stream().map(OperationParameter::string).toList());
    }
}
