package io.parley.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaClusterIT {

    @Test
    void transactionalRecordsReachAShareGroupThatStartsAtEarliest() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            kafka.createTopics(1, "work");
            kafka.startShareGroupAtEarliest("workers");

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-1"), new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("work", "k", "first"));
                producer.send(new ProducerRecord<>("work", "k", "second"));
                producer.commitTransaction();
            }

            List<String> received = new ArrayList<>();
            try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "workers",
                    "share.acknowledgement.mode", "explicit"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(Set.of("work"));
                long until = System.currentTimeMillis() + 30_000;
                while (received.size() < 2 && System.currentTimeMillis() < until) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                        received.add(record.value());
                        consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                    }
                    consumer.commitSync();
                }
            }
            assertThat(received).containsExactly("first", "second");
        }
    }

    @Test
    void aClusterWithADataDirectoryKeepsItsRecordsAcrossRestarts(@TempDir Path data) {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().dataDirectory(data).start()) {
            kafka.createTopics(2, "kept");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "survives"));
                producer.flush();
            }
        }
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().dataDirectory(data).start();
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "readers",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of("kept"));
            List<String> values = new ArrayList<>();
            long until = System.currentTimeMillis() + 30_000;
            while (values.isEmpty() && System.currentTimeMillis() < until) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            assertThat(values).containsExactly("survives");
        }
    }
}
