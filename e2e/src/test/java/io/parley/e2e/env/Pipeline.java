package io.parley.e2e.env;

import static org.awaitility.Awaitility.await;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Everything around Parley in the end-to-end tests, one per test class: a real KRaft broker, the
 * schema registry, the shop's HTTP API, the loyalty database, and the topics. It writes the
 * processor's and workers' configuration files — the same files whether they run in this JVM or
 * in their own.
 */
public final class Pipeline implements AutoCloseable {

    public static final int PARTITIONS = 4;
    public static final String APPLICATION_ID = "parley-e2e";
    public static final String WORKER_GROUP = "parley-e2e-workers";
    public static final String REPLY_TOPIC = "chat.replies.web";
    /** The flows the tests drive, on the test classpath (child JVMs share it). */
    public static final String FLOWS = "flows/support-desk.yaml";

    /**
     * The share group's record locks: longer than the slowest call a worker makes (the carrier's
     * 1.5 s deadline), short enough that a dead worker's records come back quickly.
     */
    public static final Duration RECORD_LOCK = Duration.ofSeconds(5);

    /** The shop API connector's retries unless a test asks for others. */
    public static final String DEFAULT_SHOP_RETRY = "{maxAttempts: 2, initialBackoff: 20ms, maxBackoff: 50ms}";

    private final Path directory;
    private final EmbeddedKafkaCluster kafka;
    private final EmbeddedSchemaRegistry registry;
    private final ShopApi shop;
    private final LoyaltyDatabase loyalty;
    private final TopicNames names = TopicNames.defaults();
    private final Topics topics;

    private Pipeline(Path directory, EmbeddedKafkaCluster kafka, EmbeddedSchemaRegistry registry, ShopApi shop,
                     LoyaltyDatabase loyalty) {
        this.directory = directory;
        this.kafka = kafka;
        this.registry = registry;
        this.shop = shop;
        this.loyalty = loyalty;
        this.topics = Topics.create(names, Map.of("schema.registry.url", registry.url()));
    }

    /**
     * Starts the broker, registry, shop API and database, and creates the topics and the workers'
     * share group.
     *
     * @param directory where configuration files, state and child process logs go
     * @param claimLatency how long the shop API takes to answer a voucher claim
     */
    public static Pipeline start(Path directory, Duration claimLatency) {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder()
                // A new or restarted worker gets its share of partitions within a second, not 5 s.
                .brokerProperty("group.share.heartbeat.interval.ms", 500)
                .brokerProperty("group.share.min.heartbeat.interval.ms", 500)
                // A killed worker leaves the group (and its partitions go to the others) in 6 s, not 45 s.
                .brokerProperty("group.share.session.timeout.ms", 6_000)
                .brokerProperty("group.share.min.session.timeout.ms", 6_000)
                .brokerProperty("group.share.record.lock.duration.ms", (int) RECORD_LOCK.toMillis())
                .brokerProperty("group.share.min.record.lock.duration.ms", 1_000)
                .start();
        EmbeddedSchemaRegistry registry = null;
        ShopApi shop = null;
        try {
            registry = EmbeddedSchemaRegistry.start();
            shop = ShopApi.start(claimLatency);
            Pipeline pipeline = new Pipeline(Files.createDirectories(directory), kafka, registry, shop, LoyaltyDatabase.start());
            pipeline.createTopics();
            pipeline.prepareWorkerGroup();
            return pipeline;
        } catch (IOException | RuntimeException e) {
            if (shop != null) {
                shop.close();
            }
            if (registry != null) {
                registry.close();
            }
            kafka.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void createTopics() {
        kafka.createTopics(PARTITIONS, names.chatEvents(), names.backendRequests(), names.backendResponses(),
                names.notifications(), names.audit(), REPLY_TOPIC);
        kafka.createTopics(1, names.deadLetters(), names.defaultReplies(), names.workerDeadLetters());
    }

    /**
     * The workers' share group starts at the earliest offset, as an operator sets it up. (Reading
     * committed requests only is the worker's own doing: it sets that on its group at start.)
     */
    private void prepareWorkerGroup() {
        kafka.startShareGroupAtEarliest(WORKER_GROUP);
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, WORKER_GROUP);
        try (Admin admin = kafka.admin()) {
            // The broker learns group settings from the metadata log a moment later; workers must not start before.
            await().atMost(Duration.ofSeconds(30)).until(() -> "earliest".equals(
                    value(admin.describeConfigs(List.of(group)).all().get().get(group), "share.auto.offset.reset")));
        }
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null ? null : entry.value();
    }

    /**
     * Writes a processor.yaml: exactly-once v2 with the processor's own commit interval and poll time
     * (what a user gets), a 100 ms punctuator, long default deadlines, replies of the {@code web}
     * channel on {@link #REPLY_TOPIC}.
     *
     * @param stateDirectory the instance's state folder; a restarted instance reuses it, as a pod with its volume would
     * @param adminPort the admin endpoint's port, 0 for any
     */
    public Path processorConfig(String name, Path stateDirectory, int adminPort) {
        return processorConfig(name, stateDirectory, adminPort, "exactly_once_v2", Optional.empty());
    }

    /**
     * The same with another processing guarantee and commit interval: the chaos tests run the
     * pipeline under {@code at_least_once} too, to show the harness sees what exactly-once prevents.
     */
    public Path processorConfig(String name, Path stateDirectory, int adminPort, String guarantee, Duration commitInterval) {
        return processorConfig(name, stateDirectory, adminPort, guarantee, Optional.of(commitInterval));
    }

    private Path processorConfig(String name, Path stateDirectory, int adminPort, String guarantee,
                                 Optional<Duration> commitInterval) {
        String commitLine = commitInterval.map(interval -> "\n  commit.interval.ms: " + interval.toMillis()).orElse("");
        return write(name + ".yaml", """
                kafka:
                  bootstrap.servers: "%s"
                  application.id: %s
                  state.dir: "%s"
                  processing.guarantee: %s%s
                  # A killed instance's tasks move to its successor after this, not after 45 s.
                  session.timeout.ms: 6000
                  heartbeat.interval.ms: 1500
                schemaRegistry:
                  schema.registry.url: "%s"
                flows: ["classpath:%s"]
                replies:
                  routes: {web: %s}
                conversation:
                  # Long enough that a processor restarting on a busy machine (seen taking 20 s to run
                  # again) or a dead worker's expiring record locks cannot turn an answer into a
                  # fallback. No test waits for these: the one intent meant to fall back has its own.
                  interimAfter: 90s
                  deadline: 2m
                  punctuationInterval: 100ms
                admin:
                  port: %d
                """.formatted(kafka.bootstrapServers(), APPLICATION_ID, stateDirectory, guarantee, commitLine,
                registry.url(), FLOWS, REPLY_TOPIC, adminPort));
    }

    /**
     * Writes a worker.yaml and its connectors file. The worker names itself to the shop API in an
     * {@value ShopApi#WORKER_HEADER} header, so the API's journal tells which worker made a call.
     */
    public Path workerConfig(String name, int adminPort) {
        return workerConfig(name, adminPort, DEFAULT_SHOP_RETRY);
    }

    /**
     * The same with another retry policy for the shop API (the {@code retry:} entry of its
     * connector, as flow YAML): the chaos tests let calls ride out the API's 5xx storms.
     */
    public Path workerConfig(String name, int adminPort, String shopRetry) {
        Path connectors = write(name + "-connectors.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    # Longer than any deadline: a slow call ends at its request's deadline.
                    timeout: 20s
                    retry: %s
                    # The API fails on purpose for some orders; a breaker would turn other calls into CIRCUIT_OPEN.
                    circuitBreaker: {enabled: false}
                    headers: {%s: %s}
                    operations:
                      getOrder:
                        path: /orders/{orderId}
                        query: {customerId: "{customerId}"}
                      getDeliveryEstimate:
                        path: /orders/{orderId}/eta
                      claimVoucher:
                        method: POST
                        path: /vouchers/{code}/claims
                        body: {customerId: "{customerId}"}
                  - name: loyalty-db
                    type: jdbc
                    jdbcUrl: "%s"
                    username: postgres
                    poolSize: 8
                    inboxTable: %s
                    timeout: 20s
                    operations:
                      getAccount:
                        sql: SELECT points, card_number AS "cardNumber" FROM loyalty_accounts WHERE customer_id = :customerId
                        result: row
                      redeemPoints:
                        kind: update
                        sql: |
                          WITH spent AS (
                            UPDATE loyalty_accounts SET points = points - :points
                            WHERE customer_id = :customerId AND points >= :points
                            RETURNING customer_id)
                          INSERT INTO redemptions (customer_id, conversation_id, points)
                          SELECT customer_id, :conversationId, :points FROM spent
                        params: {points: integer}
                """.formatted(shop.baseUrl(), shopRetry, ShopApi.WORKER_HEADER, name, loyalty.jdbcUrl(), LoyaltyDatabase.INBOX_TABLE));
        return write(name + ".yaml", """
                kafka:
                  bootstrap.servers: "%s"
                schemaRegistry:
                  schema.registry.url: "%s"
                admin: {port: %d}
                connectorFiles: ["%s"]
                groupId: %s
                concurrency: 64
                consumers: 2
                shutdownTimeout: 2s
                """.formatted(kafka.bootstrapServers(), registry.url(), adminPort, connectors.getFileName(), WORKER_GROUP));
    }

    private Path write(String fileName, String content) {
        try {
            return Files.writeString(directory.resolve(fileName), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    /** The topic catalogue with this pipeline's registry. */
    public Topics topics() {
        return topics;
    }

    public ShopApi shop() {
        return shop;
    }

    public LoyaltyDatabase loyalty() {
        return loyalty;
    }

    @Override
    public void close() throws IOException {
        try {
            loyalty.close();
        } finally {
            shop.close();
            registry.close();
            kafka.close();
        }
    }
}
