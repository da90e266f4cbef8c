package io.parley.local.chat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The rows of a reference table's topic as the console sees them: read from the beginning to the current end, the
 * latest value per key ({@code /stock} changes one field of a product's row and keeps the others). Without a consumer
 * group: nothing is committed, nothing is left behind. Reference tables are small; a topic is read in well under a second.
 */
final class TableTopic {

    private static final Duration POLL = Duration.ofMillis(100);

    private TableTopic() {
    }

    /**
     * The latest row per key, by key; a tombstone removes its key.
     *
     * @throws TableTopicException when the topic does not exist or could not be read to its end within {@code timeout}
     */
    static SortedMap<String, byte[]> rows(Map<String, Object> kafka, String topic, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            List<TopicPartition> partitions = partitions(consumer, topic, timeout);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            SortedMap<String, byte[]> rows = new TreeMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!atEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new TableTopicException(topic + " could not be read to its end within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.key() == null) {
                        continue;
                    }
                    if (record.value() == null) {
                        rows.remove(record.key());
                    } else {
                        rows.put(record.key(), record.value());
                    }
                }
            }
            return rows;
        } catch (KafkaException e) {
            throw new TableTopicException(topic + " could not be read: " + e.getMessage());
        }
    }

    /**
     * Whether the topic exists (the console publishes rows only to an existing topic: a typo must not create one).
     *
     * @throws TableTopicException when Kafka could not be asked
     */
    static boolean exists(Map<String, Object> kafka, String topic, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            return partitions != null && !partitions.isEmpty();
        } catch (KafkaException e) {
            throw new TableTopicException(topic + " could not be looked up: " + e.getMessage());
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic, Duration timeout) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        if (partitions == null || partitions.isEmpty()) {
            throw new TableTopicException("there is no topic " + topic);
        }
        return partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static boolean atEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static KafkaConsumer<String, byte[]> consumer(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "parley-console-tables");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A table's topic could not be read: the message says which and why, without any row's content. */
    static final class TableTopicException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        TableTopicException(String message) {
            super(message);
        }
    }
}
