package io.parley.worker.jdbc;

import io.parley.runtime.config.ConfigSection;

import com.zaxxer.hikari.HikariConfig;
import io.parley.runtime.ConfigVariables;
import io.parley.worker.config.SecretFields;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.ConnectorType;
import io.parley.worker.connector.OperationKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@code jdbc} connector type: PostgreSQL or H2 through a HikariCP pool. */
public final class JdbcConnectorKind extends OperationKind<JdbcConnectorDefinition, JdbcOperationDefinition> {

    public static final String JDBC_URL = "jdbcUrl";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String POOL_SIZE = "poolSize";
    public static final String INBOX_TABLE = "inboxTable";
    public static final String INBOX_RETENTION = "inboxRetention";

    public static final String DEFAULT_INBOX_TABLE = "parley_inbox";
    public static final Duration DEFAULT_INBOX_RETENTION = Duration.ofDays(7);
    /** Far longer than any request's deadline and redelivery: a shorter retention could forget a write still being redelivered. */
    static final Duration MIN_INBOX_RETENTION = Duration.ofHours(1);
    static final Duration MAX_INBOX_RETENTION = Duration.ofDays(3650);

    @Override
    public ConnectorType type() {
        return ConnectorType.JDBC;
    }

    @Override
    public List<String> keys() {
        return List.of(JDBC_URL, USERNAME, PASSWORD, POOL_SIZE, INBOX_TABLE, INBOX_RETENTION);
    }

    @Override
    public JdbcConnectorDefinition parse(ConfigSection connector, ConnectorSettings settings, ConfigVariables variables) {
        String jdbcUrl = connector.requiredString(JDBC_URL);
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw connector.error(JDBC_URL, "must start with jdbc: (for example jdbc:postgresql://db:5432/shop)");
        }
        String inboxTable = connector.string(INBOX_TABLE).orElse(DEFAULT_INBOX_TABLE);
        if (!Inbox.TABLE_NAME.matcher(inboxTable).matches()) {
            throw connector.error(INBOX_TABLE, "'" + inboxTable + "' is not a valid table name (letters, digits, '_', optionally schema.table)");
        }
        Duration inboxRetention = connector.duration(INBOX_RETENTION, DEFAULT_INBOX_RETENTION);
        if (inboxRetention.compareTo(MIN_INBOX_RETENTION) < 0 || inboxRetention.compareTo(MAX_INBOX_RETENTION) > 0) {
            throw connector.error(INBOX_RETENTION, connector.string(INBOX_RETENTION).orElse("") + " is out of range; allowed are "
                    + MIN_INBOX_RETENTION.toHours() + "h to " + MAX_INBOX_RETENTION.toDays() + "d");
        }
        Map<String, JdbcOperationDefinition> operations = operations(connector, JdbcOperationDefinition::from);
        return new JdbcConnectorDefinition(settings, variables.resolve(connector.where(JDBC_URL), jdbcUrl),
                SecretFields.plainOrReference(connector, USERNAME, variables),
                SecretFields.optional(connector, PASSWORD, variables),
                connector.intValue(POOL_SIZE, 5, 1, 500), inboxTable, inboxRetention, operations);
    }

    @Override
    protected Backend<JdbcOperationDefinition> open(JdbcConnectorDefinition definition, ConnectorEnvironment environment) {
        JdbcPool pool = new JdbcPool(definition.name(), poolConfig(definition));
        Inbox inbox = new Inbox(definition.inboxTable(), environment.timing().clock());
        InboxPurge purge = new InboxPurge(definition.name(), inbox, pool, environment.timing().clock(), definition.inboxRetention());
        long maxResponseBytes = environment.maxResponseBytes(definition.settings());
        return new Backend<>(operation -> new JdbcOperation(definition.name(), operation, pool, inbox, purge, maxResponseBytes), () -> {
            try (pool) {
                purge.close();
            }
        });
    }

    private static HikariConfig poolConfig(JdbcConnectorDefinition definition) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-" + definition.name());
        config.setJdbcUrl(definition.jdbcUrl());
        definition.username().ifPresent(config::setUsername);
        definition.password().ifPresent(password -> config.setPassword(password.reveal()));
        config.setMaximumPoolSize(definition.poolSize());
        config.setMinimumIdle(0);
        // The database may come up after the worker: connect on first use instead of failing the start.
        config.setInitializationFailTimeout(-1);
        // Each attempt waits for a connection at most its own time (JdbcPool); this only bounds other waits.
        Duration wait = definition.settings().timeout();
        config.setConnectionTimeout(Math.max(250, wait.toMillis()));
        return config;
    }
}
