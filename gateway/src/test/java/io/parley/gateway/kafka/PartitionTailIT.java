package io.parley.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PartitionTailIT {

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopics(1, "tail");
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void readsFromTheLookbackAndPicksUpPartitionsAddedLaterFromTheirBeginning() throws Exception {
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new StringSerializer(), new StringSerializer());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                     kafka.bootstrapServers(), "auto.offset.reset", "latest", "enable.auto.commit", false,
                     // the client learns of new partitions with its metadata (5 minutes by default)
                     "metadata.max.age.ms", 500),
                     new StringDeserializer(), new StringDeserializer())) {
            // Given a record from two hours ago and one from a minute ago
            producer.send(new ProducerRecord<>("tail", 0, now - Duration.ofHours(2).toMillis(), "k", "old")).get();
            producer.send(new ProducerRecord<>("tail", 0, now - Duration.ofMinutes(1).toMillis(), "k", "recent")).get();
            // When a tail with one hour of lookback is assigned
            PartitionTail tail = new PartitionTail(consumer, "tail", Duration.ofHours(1), Clock.systemUTC());
            assertThat(tail.awaitAssigned(Duration.ofSeconds(30), () -> true)).isTrue();
            // Then it reads the recent record only
            List<String> read = new ArrayList<>();
            await().atMost(20, TimeUnit.SECONDS).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                return read.contains("recent");
            });
            assertThat(read).containsExactly("recent");

            // When a partition is added and written to (an old timestamp: still read, nothing of it was read yet)
            try (Admin admin = kafka.admin()) {
                admin.createPartitions(Map.of("tail", NewPartitions.increaseTo(2))).all().get(30, TimeUnit.SECONDS);
            }
            producer.send(new ProducerRecord<>("tail", 1, now - Duration.ofHours(3).toMillis(), "k", "new partition")).get();
            // Then a refresh assigns it from its beginning
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                tail.refresh();
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                return read.contains("new partition");
            });
            assertThat(consumer.assignment()).hasSize(2);
            assertThat(read).containsExactly("recent", "new partition");
        }
    }
}
