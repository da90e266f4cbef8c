package io.parley.bench.kafka;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.kafka.embedded.KafkaClientVersion;
import java.io.PrintStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cluster a bench run uses: an in-process KRaft broker started for the run, or an
 * external cluster given by its bootstrap servers. Creates and deletes the run's topics.
 */
public final class BenchKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BenchKafka.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 60;

    private final String bootstrapServers;
    private final Optional<EmbeddedKafkaCluster> embedded;
    private final Map<String, Object> clientProperties;
    private final Admin admin;

    private final Map<String, String> brokerProperties = new LinkedHashMap<>();

    private BenchKafka(String bootstrapServers, Optional<EmbeddedKafkaCluster> embedded, Map<String, Object> clientProperties) {
        this.bootstrapServers = bootstrapServers;
        this.embedded = embedded;
        this.clientProperties = Map.copyOf(clientProperties);
        this.admin = Admin.create(clientConfig());
    }

    /** Starts a single-node KRaft broker inside this JVM for the run; closing stops it. */
    public static BenchKafka embedded() {
        return embedded(Map.of());
    }

    /**
     * The broker settings docs/production.md recommends for Parley, which the embedded broker runs
     * with unless {@code --broker-property} sets them: the broker looks for transactions past their
     * timeout every second instead of every 10 s, so a dead processor's open transaction is aborted
     * about {@code transaction.timeout.ms} after it began (S6's takeover waits for it).
     */
    public static final Map<String, String> RECOMMENDED_BROKER_PROPERTIES =
            Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");

    /** The same, with these broker settings on top of the recommended ones (all recorded in the report's description). */
    public static BenchKafka embedded(Map<String, String> givenBrokerProperties) {
        Map<String, String> brokerProperties = new LinkedHashMap<>(RECOMMENDED_BROKER_PROPERTIES);
        brokerProperties.putAll(givenBrokerProperties);
        // Formatting the broker's storage prints to standard output, where the report goes.
        PrintStream out = System.out;
        System.setOut(System.err);
        EmbeddedKafkaCluster cluster;
        try {
            EmbeddedKafkaCluster.Builder builder = EmbeddedKafkaCluster.builder();
            brokerProperties.forEach(builder::brokerProperty);
            cluster = builder.start();
        } finally {
            System.setOut(out);
        }
        BenchKafka kafka = new BenchKafka(cluster.bootstrapServers(), Optional.of(cluster), Map.of());
        kafka.brokerProperties.putAll(brokerProperties);
        return kafka;
    }

    /**
     * An existing cluster. {@code clientProperties} (TLS, SASL, ...) go to every client the
     * bench creates, including the streams applications under test.
     */
    public static BenchKafka external(String bootstrapServers, Map<String, Object> clientProperties) {
        return new BenchKafka(bootstrapServers, Optional.empty(), clientProperties);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A new map with the bootstrap servers and the shared client properties, for any client. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** How the report describes this cluster. */
    public Map<String, String> description() {
        Map<String, String> description = new LinkedHashMap<>();
        description.put("cluster", embedded.isPresent()
                ? "embedded single-node KRaft broker in the bench JVM"
                : "external cluster");
        description.put("bootstrap", bootstrapServers);
        description.put("clientVersion", KafkaClientVersion.current());
        brokerProperties.forEach((key, value) -> description.put("broker." + key, value));
        return description;
    }

    /**
     * Creates topics with the cluster's default replication factor; a topic that exists already
     * is an error, because its old records would mix into the figures.
     */
    public void createTopics(int partitions, Collection<String> names) {
        List<NewTopic> topics = names.stream()
                .map(name -> new NewTopic(name, Optional.of(partitions), Optional.empty()))
                .toList();
        try {
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new IllegalStateException("A bench topic exists already (" + e.getCause().getMessage()
                        + "); bench topics are named per run and must start empty", e);
            }
            throw new IllegalStateException("Could not create the bench topics " + names + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Creating the bench topics " + names + " took over " + ADMIN_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the bench topics", e);
        }
    }

    /**
     * Sets one configuration entry of a topic the run created, for example
     * {@code message.timestamp.type=LogAppendTime}, and returns once the cluster applied it.
     */
    public void setTopicConfig(String topic, String key, String value) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        AlterConfigOp set = new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
        try {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(set))).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not set " + key + "=" + value + " on the bench topic " + topic + ": "
                    + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Setting " + key + " on the bench topic " + topic + " took over "
                    + ADMIN_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while configuring the bench topic " + topic, e);
        }
    }

    /** Deletes the run's topics so an external cluster is left as it was found; failures are only logged. */
    public void deleteTopics(Collection<String> names) {
        try {
            admin.deleteTopics(names).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                LOG.warn("Could not delete the bench topics {}: {}", names, e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            LOG.warn("Deleting the bench topics {} took over {} s", names, ADMIN_TIMEOUT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts what the pipeline writes to the cluster's topics (records per turn). */
    public TopicRecords topicRecords() {
        return new TopicRecords(admin, clientConfig());
    }

    @Override
    public void close() {
        admin.close();
        embedded.ifPresent(EmbeddedKafkaCluster::close);
    }
}
