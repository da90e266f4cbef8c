package io.parley.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a topic from its beginning (committed records only), for integration tests on a real broker. */
final class TopicReader<K, V> implements AutoCloseable {

    private final KafkaConsumer<K, V> consumer;
    private final List<ConsumerRecord<K, V>> seen = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic, Deserializer<K> keys, Deserializer<V> values) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), keys, values);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits for a record that matches, and returns it. */
    ConsumerRecord<K, V> await(Predicate<ConsumerRecord<K, V>> wanted, Duration timeout) {
        List<ConsumerRecord<K, V>> found = new ArrayList<>();
        Awaitility.await().atMost(timeout).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            seen.stream().filter(wanted).findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
