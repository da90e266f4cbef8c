package io.parley.bench.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How many records the pipeline wrote to each topic between two moments: every topic of the
 * cluster except Kafka's own ({@code __consumer_offsets}, {@code __transaction_state}, ...), so
 * changelogs and repartition topics count as well as Parley's topics.
 *
 * <p>End offsets alone would count transaction markers (one per partition per commit under
 * exactly-once) and aborted records; the records in between are read back {@code read_committed}
 * and counted one by one.
 */
public final class TopicRecords {

    private static final int ADMIN_TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final Map<String, Object> clientConfig;

    TopicRecords(Admin admin, Map<String, Object> clientConfig) {
        this.admin = admin;
        this.clientConfig = clientConfig;
    }

    /** The end offset of every partition of every non-internal topic now. */
    public Map<TopicPartition, Long> endOffsets() {
        try {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(false)).names()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                    .filter(name -> !name.startsWith("__"))
                    .collect(Collectors.toSet());
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topics.values().forEach(topic -> topic.partitions().forEach(
                    partition -> latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(latest).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .forEach((partition, info) -> offsets.put(partition, info.offset()));
            return offsets;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not read the topics' end offsets: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading end offsets", e);
        }
    }

    /**
     * The committed records per topic between two snapshots of {@link #endOffsets()} (a topic
     * created in between counts from its start), sorted by topic name.
     *
     * @param patience how long the reading may take; open transactions hold records back until they end
     */
    public Map<String, Long> recordsBetween(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to, Duration patience) {
        Map<TopicPartition, Long> start = new HashMap<>();
        to.forEach((partition, end) -> {
            long begin = from.getOrDefault(partition, 0L);
            if (end > begin) {
                start.put(partition, begin);
            }
        });
        Map<String, Long> counts = new TreeMap<>();
        if (start.isEmpty()) {
            return counts;
        }
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            List<TopicPartition> open = new ArrayList<>(start.keySet());
            long deadline = System.nanoTime() + patience.toNanos();
            while (!open.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Counting records took over " + patience + "; still reading " + open);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < to.get(partition)) {
                        counts.merge(record.topic(), 1L, Long::sum);
                    }
                }
                open.removeIf(partition -> {
                    boolean done = consumer.position(partition) >= to.get(partition);
                    if (done) {
                        consumer.pause(List.of(partition));
                    }
                    return done;
                });
            }
        }
        return counts;
    }
}
