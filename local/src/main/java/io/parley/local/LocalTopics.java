package io.parley.local;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.demo.DemoStock;
import io.parley.topics.TopicNames;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The topics of local mode and their partition counts: every Parley topic plus the reply topics
 * of the routed channels and the demo shop's stock table ({@link DemoStock#TOPIC}), all with the same count — which keeps {@code chat.events} and
 * {@code backend.responses} co-partitioned, as the processor requires.
 *
 * @param names the topic names
 * @param routedReplyTopics reply topics of channels with a route of their own (e.g. {@code chat.replies.console})
 * @param partitions partitions of every topic but the published flow sets (one)
 */
public record LocalTopics(TopicNames names, List<String> routedReplyTopics, int partitions) {

    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);
    private static final Duration METADATA_RETRY = Duration.ofMillis(100);

    public LocalTopics {
        routedReplyTopics = List.copyOf(routedReplyTopics);
        routedReplyTopics.forEach(topic -> TopicNames.requireValidName("routedReplyTopics", topic));
        if (partitions < 1) {
            throw new IllegalArgumentException("Topics need at least one partition: " + partitions);
        }
    }

    /** Every topic local mode runs with, and its partition count, in a stable order. */
    public Map<String, Integer> partitionsByTopic() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        names.asMap().values().forEach(name -> topics.put(name, partitions));
        routedReplyTopics.forEach(name -> topics.put(name, partitions));
        topics.put(DemoStock.TOPIC, partitions);
        // one partition keeps the published versions of all flow sets in order (as deploy/kafka-init.sh makes it)
        topics.put(names.flows(), 1);
        return topics;
    }

    /**
     * The topics that keep the latest record per key (cleanup.policy=compact): the device table, the connector catalog
     * and the published flow sets (as deploy/kafka-init.sh makes them), and the demo shop's live stock table.
     */
    public List<String> compacted() {
        return List.of(names.iotDevices(), names.connectorCatalog(), names.flows(), DemoStock.TOPIC);
    }

    /**
     * Creates the topics that do not exist yet, then checks that the co-partitioned ones agree —
     * topics kept from an earlier run may have been made with another count.
     *
     * @throws IllegalStateException naming both topics and counts when they do not agree
     */
    public void createOn(EmbeddedKafkaCluster kafka) {
        kafka.createTopics(partitionsByTopic());
        compact(kafka, compacted());
        Map<String, TopicDescription> described = describe(kafka, Set.of(names.chatEvents(), names.backendResponses()));
        int events = described.get(names.chatEvents()).partitions().size();
        int responses = described.get(names.backendResponses()).partitions().size();
        if (events != responses) {
            throw new IllegalStateException("Topic " + names.chatEvents() + " has " + events + " partitions but "
                    + names.backendResponses() + " has " + responses + "; they must be equal (co-partitioned)."
                    + " Start with --fresh to recreate the topics.");
        }
    }

    /** Makes table topics compacted (also when they were made by an earlier run, before local mode did this). */
    private static void compact(EmbeddedKafkaCluster kafka, List<String> topics) {
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
        for (String topic : topics) {
            changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT), AlterConfigOp.OpType.SET)));
        }
        try (Admin admin = kafka.admin()) {
            admin.incrementalAlterConfigs(changes).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not make " + topics + " compacted: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making " + topics + " compacted", e);
        }
    }

    /**
     * Describes the topics, waiting while the broker does not know them yet: a topic just created
     * is committed by the controller before the broker's metadata shows it.
     */
    private static Map<String, TopicDescription> describe(EmbeddedKafkaCluster kafka, Set<String> topics) {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        try (Admin admin = kafka.admin()) {
            while (true) {
                try {
                    return admin.describeTopics(topics).allTopicNames().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                        throw new IllegalStateException("Could not describe topics " + topics + ": " + e.getCause().getMessage(), e);
                    }
                    Thread.sleep(METADATA_RETRY.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing topics " + topics, e);
        }
    }
}
