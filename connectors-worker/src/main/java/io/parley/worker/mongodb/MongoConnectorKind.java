package io.parley.worker.mongodb;

import io.parley.runtime.config.ConfigSection;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.parley.runtime.ConfigVariables;
import io.parley.worker.config.SecretFields;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.ConnectorType;
import io.parley.worker.connector.OperationKind;
import io.parley.worker.http.TlsSettings;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import java.util.concurrent.TimeUnit;

/** The {@code mongodb} connector type: a MongoDB deployment through the official synchronous driver. */
public final class MongoConnectorKind extends OperationKind<MongoConnectorDefinition, MongoOperationDefinition> {

    public static final String URI = "uri";
    public static final String DATABASE = "database";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String AUTH_SOURCE = "authSource";
    public static final String POOL_SIZE = "poolSize";

    @Override
    public ConnectorType type() {
        return ConnectorType.MONGODB;
    }

    @Override
    public List<String> keys() {
        return List.of(URI, DATABASE, USERNAME, PASSWORD, AUTH_SOURCE, POOL_SIZE, TlsSettings.SECTION);
    }

    @Override
    public MongoConnectorDefinition parse(ConfigSection connector, ConnectorSettings settings, ConfigVariables variables) {
        String uri = variables.resolve(connector.where(URI), connector.requiredString(URI));
        ConnectionString parsed;
        try {
            parsed = new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw connector.error(URI, "is not a MongoDB connection string; write it like mongodb://db:27017");
        }
        if (parsed.getCredential() != null) {
            throw connector.error(URI, "must not carry credentials; use username and password (a ${file:...} or ${env:...} reference)");
        }
        TlsSettings tlsSettings = TlsSettings.from(connector.object(TlsSettings.SECTION), variables);
        boolean tls = tls(connector, parsed, tlsSettings);
        Map<String, MongoOperationDefinition> operations = operations(connector, MongoOperationDefinition::from);
        return new MongoConnectorDefinition(settings, uri, connector.requiredString(DATABASE),
                SecretFields.plainOrReference(connector, USERNAME, variables), SecretFields.optional(connector, PASSWORD, variables),
                connector.string(AUTH_SOURCE).orElse("admin"), connector.intValue(POOL_SIZE, 10, 1, 500), operations, tls, tlsSettings);
    }

    /**
     * Whether the connector uses TLS: a {@code tls:} section turns it on, as do {@code tls=true}
     * (or {@code ssl=true}) in the connection string and {@code mongodb+srv://}. Host name
     * verification cannot be turned off, not even through the connection string.
     */
    static boolean tls(ConfigSection connector, ConnectionString uri, TlsSettings settings) {
        if (Boolean.TRUE.equals(uri.getSslInvalidHostnameAllowed())) {
            throw connector.error(URI, "must not turn host name verification off (tlsAllowInvalidHostnames or tlsInsecure);"
                    + " give the server a certificate that names it, or use the name its certificate has");
        }
        boolean section = connector.object(TlsSettings.SECTION).isPresent();
        if (section && Boolean.FALSE.equals(uri.getSslEnabled())) {
            throw connector.error(TlsSettings.SECTION, "is set but the uri says tls=false; remove one of them");
        }
        return section || Boolean.TRUE.equals(uri.getSslEnabled()) || uri.isSrvProtocol();
    }

    /** The driver's TLS settings for a definition: on or off, this connector's context, host names verified. */
    static void applyTls(MongoConnectorDefinition definition, MongoClientSettings.Builder settings) {
        if (!definition.tls()) {
            settings.applyToSslSettings(ssl -> ssl.enabled(false));
            return;
        }
        SSLContext context;
        try {
            context = definition.tlsSettings().newVersionLimitedContext();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context could be made for connector " + definition.name()
                    + " (" + e.getClass().getSimpleName() + ")", e);
        }
        settings.applyToSslSettings(ssl -> ssl.enabled(true).invalidHostNameAllowed(false).context(context));
    }

    @Override
    protected Backend<MongoOperationDefinition> open(MongoConnectorDefinition definition, ConnectorEnvironment environment) {
        long timeoutMillis = Math.max(100, definition.settings().timeout().toMillis());
        MongoClientSettings.Builder settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(definition.uri()))
                .applicationName("parley-" + definition.name())
                // Nothing connects here; a server that is down makes calls fail (and retry), never the start.
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(timeoutMillis, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout((int) timeoutMillis, TimeUnit.MILLISECONDS)
                        .readTimeout((int) timeoutMillis, TimeUnit.MILLISECONDS))
                .applyToConnectionPoolSettings(pool -> pool.maxSize(definition.poolSize()).minSize(0)
                        .maxWaitTime(timeoutMillis, TimeUnit.MILLISECONDS))
                // Retries are the connector's own (counted, bounded by the deadline), not the driver's.
                .retryReads(false)
                .retryWrites(false);
        applyTls(definition, settings);
        if (definition.username().isPresent()) {
            char[] password = definition.password().map(secret -> secret.reveal().toCharArray()).orElse(new char[0]);
            settings.credential(MongoCredential.createCredential(definition.username().get(), definition.authSource(), password));
        }
        MongoClient client = MongoClients.create(settings.build());
        MongoDatabase database = client.getDatabase(definition.database());
        Set<String> indexed = MongoOperation.indexedCollections();
        long maxResponseBytes = environment.maxResponseBytes(definition.settings());
        return new Backend<>(operation -> new MongoOperation(operation, database, indexed, maxResponseBytes), client);
    }
}
