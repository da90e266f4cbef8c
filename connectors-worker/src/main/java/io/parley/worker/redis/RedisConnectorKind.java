package io.parley.worker.redis;

import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.http.TlsSettings;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import io.parley.worker.config.SecretFields;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.ConnectorType;
import io.parley.worker.connector.OperationKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** The {@code redis} connector type: a Redis server (or a server speaking its protocol) through Jedis. */
public final class RedisConnectorKind extends OperationKind<RedisConnectorDefinition, RedisOperationDefinition> {

    public static final String URL = "url";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String POOL_SIZE = "poolSize";
    public static final String INBOX_TTL = "inboxTtl";

    /** Where the request ids of applied writes are kept: {@code parley:inbox:<request id>}. */
    static final String INBOX_PREFIX = "parley:inbox:";

    static final Duration DEFAULT_INBOX_TTL = Duration.ofDays(7);

    @Override
    public ConnectorType type() {
        return ConnectorType.REDIS;
    }

    @Override
    public List<String> keys() {
        return List.of(URL, USERNAME, PASSWORD, POOL_SIZE, INBOX_TTL, TlsSettings.SECTION);
    }

    @Override
    public RedisConnectorDefinition parse(ConfigSection connector, ConnectorSettings settings, ConfigVariables variables) {
        URI url = url(connector, variables.resolve(connector.where(URL), connector.requiredString(URL)));
        Duration inboxTtl = connector.duration(INBOX_TTL, DEFAULT_INBOX_TTL);
        if (inboxTtl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw connector.error(INBOX_TTL, "must be at least 1m: a redelivered write must still find its record");
        }
        Map<String, RedisOperationDefinition> operations = operations(connector, RedisOperationDefinition::from);
        TlsSettings tls = TlsSettings.from(connector.object(TlsSettings.SECTION), variables);
        if (tls.customised() && !"rediss".equals(url.getScheme())) {
            throw connector.error(TlsSettings.SECTION, "is only used with a rediss:// URL (TLS)");
        }
        return new RedisConnectorDefinition(settings, url, SecretFields.plainOrReference(connector, USERNAME, variables),
                SecretFields.optional(connector, PASSWORD, variables), connector.intValue(POOL_SIZE, 8, 1, 500),
                inboxTtl, operations, tls);
    }

    private static URI url(ConfigSection connector, String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw connector.error(URL, "is not a URL; write it like redis://cache:6379/0");
        }
        if (!"redis".equals(url.getScheme()) && !"rediss".equals(url.getScheme())) {
            throw connector.error(URL, "must start with redis:// (or rediss:// for TLS)");
        }
        if (url.getHost() == null) {
            throw connector.error(URL, "names no host; write it like redis://cache:6379/0");
        }
        if (url.getUserInfo() != null) {
            throw connector.error(URL, "must not carry credentials; use username and password (a ${file:...} or ${env:...} reference)");
        }
        String path = url.getPath() == null ? "" : url.getPath();
        if (!path.isEmpty() && !path.matches("/\\d{1,2}")) {
            throw connector.error(URL, "the path is the database number (like /0); '" + path + "' is not one");
        }
        return url;
    }

    @Override
    protected Backend<RedisOperationDefinition> open(RedisConnectorDefinition definition, ConnectorEnvironment environment) {
        int timeoutMillis = (int) Math.max(100, definition.settings().timeout().toMillis());
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .clientName("parley-" + definition.name())
                .database(definition.database())
                .ssl(definition.tls())
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis);
        if (definition.tls()) {
            SSLContext context;
            try {
                context = definition.tlsSettings().newContext();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no TLS context could be made for connector " + definition.name()
                        + " (" + e.getClass().getSimpleName() + ")", e);
            }
            // The host name is verified against the server's certificate: always, as for http connectors.
            client.sslSocketFactory(context.getSocketFactory()).sslParameters(definition.tlsSettings().clientParameters(context));
        }
        definition.username().ifPresent(client::user);
        definition.password().ifPresent(password -> client.password(password.reveal()));
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(definition.poolSize());
        pool.setMaxIdle(definition.poolSize());
        pool.setMinIdle(0);
        // A connection broken by a server restart is found out before it is used again.
        pool.setTestOnBorrow(true);
        pool.setMaxWait(Duration.ofMillis(timeoutMillis));
        int port = definition.url().getPort() < 0 ? 6379 : definition.url().getPort();
        // Nothing connects here: the pool opens connections on first use, so the server may start after the worker.
        RedisClient redis = RedisClient.builder()
                .hostAndPort(definition.url().getHost(), port)
                .clientConfig(client.build())
                .poolConfig(pool)
                .build();
        long maxResponseBytes = environment.maxResponseBytes(definition.settings());
        return new Backend<>(operation -> new RedisOperation(operation, redis, INBOX_PREFIX, definition.inboxTtl(), maxResponseBytes),
                redis);
    }
}
