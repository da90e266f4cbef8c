package io.parley.e2e.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Malformed records put on the pipeline's input topics — bytes that are not the registry's wire
 * format (no magic byte), each with a marker of its own — and where they ended up: each must be
 * found, as it was sent, in the dead-letter topic of the component that reads its topic.
 */
public final class PoisonRecords implements AutoCloseable {

    private static final String MARKER = "parley-chaos-poison-";

    private final String bootstrapServers;
    private final KafkaProducer<byte[], byte[]> producer;
    /** Marker → the topic it was put on. */
    private final Map<String, String> sent = new HashMap<>();
    private int next;

    public PoisonRecords(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Puts {@code count} malformed records on {@code topic} and waits until the broker has them. */
    public synchronized void inject(String topic, int count) {
        for (int i = 0; i < count; i++) {
            String marker = MARKER + next++;
            byte[] key = ("poison-conversation-" + next).getBytes(StandardCharsets.UTF_8);
            byte[] value = ("{not avro} " + marker).getBytes(StandardCharsets.UTF_8);
            try {
                producer.send(new ProducerRecord<>(topic, key, value)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while sending poison to " + topic, e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("Could not send poison to " + topic + ": " + e.getCause(), e);
            }
            sent.put(marker, topic);
        }
    }

    /** How many were put on each topic. */
    public synchronized Map<String, Integer> sentByTopic() {
        Map<String, Integer> counts = new HashMap<>();
        sent.values().forEach(topic -> counts.merge(topic, 1, Integer::sum));
        return counts;
    }

    /** The markers put on these topics. */
    public synchronized Set<String> sentTo(Set<String> topics) {
        Set<String> markers = new TreeSet<>();
        sent.forEach((marker, topic) -> {
            if (topics.contains(topic)) {
                markers.add(marker);
            }
        });
        return markers;
    }

    /** Every record committed to a dead-letter topic so far, read_committed, as the markers they carry (others as "other"). */
    public List<String> markersIn(String deadLetterTopic) {
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic).stream()
                    .map(p -> new TopicPartition(deadLetterTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String value = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
                    int at = value.indexOf(MARKER);
                    found.add(at < 0 ? "other" : value.substring(at));
                }
            }
        }
        return found;
    }

    @Override
    public void close() {
        producer.close();
    }
}
