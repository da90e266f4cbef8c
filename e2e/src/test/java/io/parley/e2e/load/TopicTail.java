package io.parley.e2e.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything written to a topic so far, read incrementally: each {@link #catchUp()} reads what was
 * added since the last one, up to the current end, and keeps it. A read_committed tail sees what
 * committed transactions wrote; a read_uncommitted one also sees aborted and open transactions.
 */
public final class TopicTail<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<TopicPartition> partitions;
    private final List<V> values = new ArrayList<>();

    /** A read_committed tail. */
    public TopicTail(String bootstrapServers, String topic, Deserializer<V> deserializer) {
        this(bootstrapServers, topic, deserializer, IsolationLevel.READ_COMMITTED);
    }

    public TopicTail(String bootstrapServers, String topic, Deserializer<V> deserializer, IsolationLevel isolation) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), deserializer);
        this.partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads up to the end of every partition as it is now; returns all values read so far. */
    public List<V> catchUp() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() != null) {
                    // null: a record the deserializer could not read (see SkippingDeserializer)
                    values.add(record.value());
                }
            }
        }
        return List.copyOf(values);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
