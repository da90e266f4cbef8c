package io.parley.processor.ops;

import io.parley.processor.config.ConnectorCatalogSettings;
import io.parley.processor.flow.CatalogContracts;
import io.parley.processor.flow.ConnectorOperations;
import io.parley.processor.flow.FlowCatalog;
import io.parley.schemas.ConnectorCatalog;
import io.parley.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, reads the connector catalog topic to its end (within {@code connectorCatalog.wait})
 * and stops the start when a flow template reads a field that the response schema of its call's
 * operation, as a worker published it, does not have. What happens without a catalog (no worker
 * has published yet, or the topic could not be read in time) is {@code connectorCatalog.require}'s
 * choice: a warning and a check of what there is, or a stopped start.
 */
public final class ConnectorCatalogCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorCatalogCheck.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * What the topic held.
     *
     * @param records the latest record of each connector (tombstoned connectors are gone)
     * @param missing why the catalog is not there or not whole, or empty when it was read to its end and holds records
     */
    public record Catalog(Map<String, ConnectorCatalog> records, String missing) {

        public boolean whole() {
            return missing.isEmpty();
        }
    }

    private ConnectorCatalogCheck() {
    }

    /**
     * Checks the flows against the catalog on {@code topic}.
     *
     * @param source the configuration file, for messages
     * @param consumerSettings a consumer's connection settings (no group is joined: the partitions are assigned)
     * @return what the topic held, for other checks against it (the trigger rules' calls)
     * @throws ConfigException naming the flow file, the intent's template and the field; or, when the catalog is
     *     required, naming the topic that holds none
     */
    public static Catalog verify(String source, ConnectorCatalogSettings settings, FlowCatalog flows,
                              Map<String, Object> consumerSettings, Topic<String, ConnectorCatalog> topic) {
        Catalog catalog = read(consumerSettings, topic, settings.maxWait());
        if (!catalog.whole()) {
            if (settings.require()) {
                throw new ConfigException(source + ": connectorCatalog.require: the connector catalog is required but "
                        + catalog.missing() + "; start a connectors worker first (it publishes its connectors at start),"
                        + " or set connectorCatalog.require to false");
            }
            LOG.warn("The flows' templates are checked only against what the connector catalog holds ({} connectors):"
                    + " {}. Set connectorCatalog.require to true to refuse such a start", catalog.records().size(), catalog.missing());
        }
        verify(catalog.records().values(), flows, topic.name());
        return catalog;
    }

    /**
     * Checks a flow version published while the processor runs: against what the catalog holds now (read for at
     * most {@code wait}); a catalog that is missing or not whole checks what there is, as at a start that does not
     * require one.
     *
     * @throws ConfigException naming the flow file, the intent's template and the field of a mismatch
     */
    public static void verifyPublished(FlowCatalog flows, Map<String, Object> consumerSettings, Topic<String, ConnectorCatalog> topic,
                                       Duration wait) {
        verify(read(consumerSettings, topic, wait).records().values(), flows, topic.name());
    }

    /** The check itself, on records already read. */
    static void verify(java.util.Collection<ConnectorCatalog> records, FlowCatalog flows, String topicName) {
        ConnectorOperations operations = CatalogContracts.operations(records);
        List<ConfigException> problems = CatalogContracts.resultFieldProblems(flows, operations);
        if (!problems.isEmpty()) {
            String more = problems.size() == 1 ? "" : " (and " + (problems.size() - 1) + " more; parley flows validate lists them all)";
            throw new ConfigException(problems.get(0).getMessage() + more + " [response schemas from the connector catalog on "
                    + topicName + "]");
        }
        Set<String> undescribed = CatalogContracts.undescribedConnectors(flows, operations);
        if (!records.isEmpty() && !undescribed.isEmpty()) {
            LOG.warn("The flows call connectors no worker has published to {}: {}; their templates are not checked", topicName,
                    undescribed);
        }
        if (!records.isEmpty()) {
            LOG.info("Flow templates checked against the response schemas of {} connector(s) from {}", records.size(), topicName);
        }
    }

    /** Reads the topic from its start to the end it had when the reading began, for at most {@code wait}. */
    public static Catalog read(Map<String, Object> consumerSettings, Topic<String, ConnectorCatalog> topic, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, ConnectorCatalog> latest = new LinkedHashMap<>();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<PartitionInfo> infos = consumer.listTopics(remaining(deadline)).get(topic.name());
            if (infos == null || infos.isEmpty()) {
                return new Catalog(Map.of(), "the topic " + topic.name() + " does not exist (no connectors worker has published yet)");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, remaining(deadline));
            while (!atEnd(consumer, ends)) {
                if (System.nanoTime() >= deadline) {
                    return new Catalog(latest, "the topic " + topic.name() + " could not be read to its end within " + wait);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(min(POLL, remaining(deadline)))) {
                    take(record, topic, latest);
                }
            }
        } catch (TimeoutException e) {
            return new Catalog(latest, "the topic " + topic.name() + " could not be read within " + wait + " ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            // Without waiting: the consumer has sent its next fetch already, and a fetch at the end of the
            // topic is held by the broker for fetch.max.wait.ms (500 ms), which a plain close() waits for —
            // 0.4 s of every processor start (bench S6). A reader without a group has nothing to commit.
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
        if (latest.isEmpty()) {
            return new Catalog(latest, "the topic " + topic.name() + " holds no connector (no connectors worker has published yet)");
        }
        return new Catalog(latest, "");
    }

    private static void take(ConsumerRecord<byte[], byte[]> record, Topic<String, ConnectorCatalog> topic,
                             Map<String, ConnectorCatalog> latest) {
        if (record.key() == null) {
            LOG.warn("Skipped a connector catalog record without a key at {}-{} offset {}", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        String connector = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            latest.remove(connector);
            return;
        }
        try {
            latest.put(connector, topic.valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } catch (RuntimeException e) {
            // One unreadable record must not stop the start; the connector stays unchecked (or as an earlier record said).
            LOG.warn("Skipped an unreadable connector catalog record at {}-{} offset {} ({})", record.topic(), record.partition(),
                    record.offset(), e.getClass().getSimpleName());
        }
    }

    private static boolean atEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
