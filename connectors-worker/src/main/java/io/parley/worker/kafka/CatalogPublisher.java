package io.parley.worker.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.schemas.ConnectorCatalog;
import io.parley.topics.Topic;
import io.parley.worker.Connectors;
import io.parley.worker.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the worker's connector catalog ({@link ConnectorCatalog}, one record per connector,
 * keyed by its name) to the compacted catalog topic: at start and after each reload applied. A
 * connector a reload removed gets a tombstone. The topic is created (compacted, one partition)
 * when missing. Publishing is best effort: the worker's calls do not depend on it, so a failure is
 * one WARN line and a count ({@code parley.worker.connector.catalog.publications}, tag
 * {@code outcome}: {@code published}, {@code failed}), never a stopped worker; the next reload
 * publishes again.
 */
public final class CatalogPublisher implements AutoCloseable {

    public static final String PUBLICATIONS = "parley.worker.connector.catalog.publications";

    private static final Logger LOG = LoggerFactory.getLogger(CatalogPublisher.class);

    private final Topic<String, ConnectorCatalog> topic;
    private final KafkaProducer<String, ConnectorCatalog> producer;
    private final Map<String, Object> adminSettings;
    private final Duration timeout;
    private final Clock clock;
    private final Counter published;
    private final Counter failed;
    /** The connectors of the last publication, so a reload that drops one can tombstone it. */
    private Set<String> lastPublished = Set.of();
    private boolean topicChecked;

    /**
     * @param timeout how long one publication (topic check and sends) may take before it counts as failed
     */
    public CatalogPublisher(WorkerConfig config, Topic<String, ConnectorCatalog> topic, MeterRegistry meters, Duration timeout,
                            Clock clock) {
        this.topic = topic;
        this.timeout = timeout;
        this.clock = clock;
        KafkaClients clients = new KafkaClients(config, "catalog");
        this.adminSettings = clients.admin("catalog-admin");
        Map<String, Object> producerSettings = clients.producer();
        producerSettings.put(ProducerConfig.CLIENT_ID_CONFIG, producerSettings.get(ProducerConfig.CLIENT_ID_CONFIG) + "-catalog");
        producerSettings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        producerSettings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 1_000));
        producerSettings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerSettings.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        producerSettings.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        this.producer = new KafkaProducer<>(producerSettings, new StringSerializer(), topic.valueSerde().serializer());
        this.published = Counter.builder(PUBLICATIONS).description("Publications of the connector catalog")
                .tag("outcome", "published").register(meters);
        this.failed = Counter.builder(PUBLICATIONS).description("Publications of the connector catalog")
                .tag("outcome", "failed").register(meters);
    }

    /** Publishes the catalog of the connectors' current version; false (logged, counted) when it could not. */
    public synchronized boolean publish(Connectors connectors) {
        List<ConnectorCatalog> records = connectors.catalog(clock.instant());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            ensureTopic();
            Set<String> names = new LinkedHashSet<>();
            List<Future<RecordMetadata>> sends = new java.util.ArrayList<>();
            for (ConnectorCatalog record : records) {
                names.add(record.getConnector());
                sends.add(producer.send(new ProducerRecord<>(topic.name(), record.getConnector(), record)));
            }
            Set<String> removed = new HashSet<>(lastPublished);
            removed.removeAll(names);
            for (String gone : removed) {
                sends.add(producer.send(new ProducerRecord<>(topic.name(), gone, null)));
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            lastPublished = names;
            published.increment();
            LOG.info("Connector catalog version {} published to {}: {}{}", connectors.version().number(), topic.name(), names,
                    removed.isEmpty() ? "" : "; removed " + removed);
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            failed.increment();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            // The kind and Kafka's message only: catalog records hold no secrets, but a client's message could name its settings.
            LOG.warn("The connector catalog could not be published to {} ({}: {}); the processor checks flows only against what"
                    + " the topic already holds", topic.name(), cause.getClass().getSimpleName(),
                    Optional.ofNullable(cause.getMessage()).orElse(""));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.increment();
            return false;
        }
    }

    private void ensureTopic() throws InterruptedException, ExecutionException, TimeoutException {
        if (topicChecked) {
            return;
        }
        try (Admin admin = Admin.create(adminSettings)) {
            NewTopic compacted = new NewTopic(topic.name(), Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(compacted)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created the connector catalog topic {} (compacted)", topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        topicChecked = true;
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
