package io.parley.worker.redis;

import io.parley.runtime.Secret;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.OperationConnectorDefinition;
import io.parley.worker.connector.OperationParameter;
import io.parley.worker.http.TlsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code redis} connector: one Redis server reached through a pool of connections.
 *
 * @param url {@code redis://host:port[/database]} or {@code rediss://...} for TLS; no credentials in it
 * @param username the ACL user, if the server has users
 * @param password the password (a config-provider reference)
 * @param poolSize the most connections the pool opens
 * @param inboxTtl how long a write's request id is remembered, so a redelivered request is not applied again
 * @param operations the operations by name
 * @param tlsSettings trust, client certificate and minimum version for {@code rediss://} (the JVM's defaults otherwise)
 */
public record RedisConnectorDefinition(ConnectorSettings settings, URI url, Optional<String> username,
                                       Optional<Secret> password, int poolSize, Duration inboxTtl,
                                       Map<String, RedisOperationDefinition> operations, TlsSettings tlsSettings)
        implements OperationConnectorDefinition<RedisOperationDefinition> {

    /** The database number from the URL's path ({@code /2}), 0 when there is none. */
    public int database() {
        String path = url.getPath();
        return path == null || path.isEmpty() || path.equals("/") ? 0 : Integer.parseInt(path.substring(1));
    }

    public boolean tls() {
        return "rediss".equals(url.getScheme());
    }

    @Override
    public Optional<List<OperationParameter>> parametersOf(RedisOperationDefinition definition) {
        return Optional.of(definition.parameters().stream().map(OperationParameter::string).toList());
    }
}
