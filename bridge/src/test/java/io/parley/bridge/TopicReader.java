package io.parley.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a one-partition topic from the beginning, keeping everything seen. */
final class TopicReader<V> implements AutoCloseable {

    private final KafkaConsumer<byte[], V> consumer;
    private final TopicPartition partition;
    private final List<ConsumerRecord<byte[], V>> seen = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic, Deserializer<V> values) {
        consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "isolation.level", "read_committed"),
                new ByteArrayDeserializer(), values);
        partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** Everything read so far, after one more poll. */
    List<ConsumerRecord<byte[], V>> poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        return List.copyOf(seen);
    }

    /** How many records the topic holds. */
    long endOffset() {
        return consumer.endOffsets(List.of(partition)).get(partition);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
