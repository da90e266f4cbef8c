package io.parley.local;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.local.demo.DemoPreferences;
import io.parley.demo.DemoShopDatabase;
import io.parley.demo.ShopApi;
import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.registry.embedded.SchemaJournal;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything local mode runs besides the processor, the worker and the console, started in
 * order and closed in reverse: the data directory, a real single-node KRaft broker (data kept
 * in the data directory), the topics, the schema registry on 127.0.0.1, the demo shop database,
 * the demo shop HTTP API and, when {@code redis-server} is installed, the demo preferences in Redis.
 *
 * <p>Components in this JVM use the registry through its HTTP URL ({@link #serdeConfig()}), like
 * a channel of the user's own would, so every registration reaches the registry's journal and
 * schema ids stay stable across runs.
 */
public final class LocalStack implements AutoCloseable {

    /** The scope of the served in-memory registry ({@code mock://parley-local} reaches it in this JVM). */
    public static final String REGISTRY_SCOPE = "parley-local";

    /**
     * The worker's share group in local mode. It reads from the earliest offset, so requests
     * produced before the worker joined are not skipped; the worker must use this group id.
     */
    public static final String WORKER_GROUP_ID = "parley-worker";

    private static final int SHARE_HEARTBEAT_MS = 500;

    private final Deque<AutoCloseable> started;
    private final LocalSettings settings;
    private final DataDirectory data;
    private final EmbeddedKafkaCluster kafka;
    private final EmbeddedSchemaRegistry registry;
    private final DemoShopDatabase shopDatabase;
    private final ShopApi shopApi;
    private final DemoPreferences preferences;
    private boolean closed;

    private LocalStack(Deque<AutoCloseable> started, LocalSettings settings, DataDirectory data, EmbeddedKafkaCluster kafka,
                       EmbeddedSchemaRegistry registry, DemoShopDatabase shopDatabase, ShopApi shopApi,
                       DemoPreferences preferences) {
        this.started = started;
        this.settings = settings;
        this.data = data;
        this.kafka = kafka;
        this.registry = registry;
        this.shopDatabase = shopDatabase;
        this.shopApi = shopApi;
        this.preferences = preferences;
    }

    /**
     * Starts the stack; what was started is closed again when a later part fails to start.
     * Nothing may log before the data directory is prepared: the log file lives in it, and
     * {@code --fresh} would delete a log file opened earlier.
     */
    public static LocalStack start(LocalSettings settings) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            DataDirectory data = DataDirectory.prepare(settings.dataDirectory(), settings.fresh());
            EmbeddedKafkaCluster kafka = push(started, startBroker(data));
            settings.localTopics().createOn(kafka);
            InMemorySchemaRegistry schemas = InMemorySchemaRegistry.forScope(REGISTRY_SCOPE);
            started.push(() -> InMemorySchemaRegistry.dropScope(REGISTRY_SCOPE));
            kafka.startShareGroupAtEarliest(WORKER_GROUP_ID);
            EmbeddedSchemaRegistry registry = push(started, startRegistry(schemas, data, settings.registryPort()));
            DemoShopDatabase shopDatabase = push(started, DemoShopDatabase.startInMemory("parley-shop"));
            ShopApi shopApi = push(started, ShopApi.builder(dataSource(shopDatabase))
                    .port(settings.shopApiPort())
                    .latency(settings.shopLatency())
                    .start());
            DemoPreferences preferences = push(started, DemoPreferences.start(settings.redisServer(), data.root().resolve("redis")));
            return new LocalStack(started, settings, data, kafka, registry, shopDatabase, shopApi, preferences);
        } catch (RuntimeException e) {
            closeAll(started, e);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IllegalStateException stopped = new IllegalStateException("Interrupted while local mode started", e);
            closeAll(started, stopped);
            throw stopped;
        }
    }

    public LocalSettings settings() {
        return settings;
    }

    public DataDirectory data() {
        return data;
    }

    public EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /** Serde settings for components in this JVM: the registry over HTTP. */
    public Map<String, Object> serdeConfig() {
        return Map.of("schema.registry.url", registry.url());
    }

    public LocalTopics topics() {
        return settings.localTopics();
    }

    /** The demo shop database: its JDBC URL, user and password are those of the {@code shop-db} connector. */
    public DemoShopDatabase shopDatabase() {
        return shopDatabase;
    }

    /** The demo shop API: its base URL is that of the {@code shop-api} connector. */
    public ShopApi shopApi() {
        return shopApi;
    }

    /** The demo preferences: Redis and the intents using it, or why they are not offered. */
    public DemoPreferences preferences() {
        return preferences;
    }

    /**
     * Registers something to close with the stack, before everything started earlier: the
     * processor and the worker, which must stop before the broker. Safe to call while another
     * thread (the shutdown hook of Ctrl-C) closes the stack: a component that comes too late is
     * closed at once.
     *
     * @throws IllegalStateException when the stack was closed already
     */
    public <T extends AutoCloseable> T closeWithStack(T component) {
        synchronized (started) {
            if (!closed) {
                return push(started, component);
            }
        }
        try {
            component.close();
        } catch (Exception e) {
            LoggerFactory.getLogger(LocalStack.class).warn("Could not close a component started while local mode stopped", e);
        }
        throw new IllegalStateException("Local mode is stopping");
    }

    /** Closes what was started, the latest first; a second call does nothing. */
    @Override
    public void close() {
        RuntimeException failure = new IllegalStateException("Local mode did not stop cleanly");
        synchronized (started) {
            closed = true;
            closeAll(started, failure);
        }
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> started, T component) {
        started.push(component);
        return component;
    }

    private static void closeAll(Deque<AutoCloseable> started, RuntimeException collector) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                collector.addSuppressed(e);
            }
        }
    }

    private static EmbeddedSchemaRegistry startRegistry(InMemorySchemaRegistry schemas, DataDirectory data, int port) {
        try {
            return EmbeddedSchemaRegistry.builder(schemas).port(port).journal(SchemaJournal.inFile(data.schemaJournal())).start();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + " (another registry running? --registry-port 0 picks a free port)", e);
        }
    }

    /**
     * Starts the broker. Kafka's storage formatter prints to standard output on a first start;
     * that output belongs in the log, not in the terminal the console chat (or a script reading
     * its replies) uses, so standard output is diverted while the broker starts.
     */
    private static EmbeddedKafkaCluster startBroker(DataDirectory data) {
        PrintStream terminal = System.out;
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        System.setOut(new PrintStream(formatterOutput, true, StandardCharsets.UTF_8));
        try {
            return EmbeddedKafkaCluster.builder()
                    .dataDirectory(data.kafka())
                    // A share consumer gets its first assignment at its second heartbeat: every 5 s by
                    // default, which would hold the first reply of a session back by seconds.
                    .brokerProperty("group.share.min.heartbeat.interval.ms", SHARE_HEARTBEAT_MS)
                    .brokerProperty("group.share.heartbeat.interval.ms", SHARE_HEARTBEAT_MS)
                    .start();
        } finally {
            System.setOut(terminal);
            Logger log = LoggerFactory.getLogger(LocalStack.class);
            formatterOutput.toString(StandardCharsets.UTF_8).lines().forEach(line -> log.info("Kafka: {}", line));
        }
    }

    private static DataSource dataSource(DemoShopDatabase database) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(database.jdbcUrl());
        dataSource.setUser(database.user());
        dataSource.setPassword(database.password());
        return dataSource;
    }
}
