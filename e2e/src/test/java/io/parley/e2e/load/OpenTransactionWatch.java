package io.parley.e2e.load;

import io.parley.schemas.BackendRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Sees the processor's backend requests before they are committed: a read_uncommitted reader of
 * the request topic, compared with the last stable offset (below which every transaction has
 * ended). A request at or past it is in a transaction still open — one a crash right now aborts.
 */
public final class OpenTransactionWatch implements AutoCloseable {

    private final KafkaConsumer<String, BackendRequest> consumer;
    private final Admin admin;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, ConsumerRecord<String, BackendRequest>> latest = new HashMap<>();

    public OpenTransactionWatch(String bootstrapServers, Admin admin, String requestTopic, Deserializer<BackendRequest> requests) {
        this.admin = admin;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_UNCOMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), requests);
        this.partitions = consumer.partitionsFor(requestTopic).stream()
                .map(p -> new TopicPartition(requestTopic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
    }

    /** A request matching {@code wanted} written in a transaction that is still open, if there is one now. */
    public Optional<BackendRequest> openRequest(Predicate<BackendRequest> wanted) throws ExecutionException, InterruptedException {
        for (ConsumerRecord<String, BackendRequest> record : consumer.poll(Duration.ofMillis(10))) {
            if (wanted.test(record.value())) {
                latest.put(new TopicPartition(record.topic(), record.partition()), record);
            }
        }
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Map<TopicPartition, Long> stable = admin.listOffsets(
                        latest.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        return latest.entrySet().stream()
                .filter(e -> e.getValue().offset() >= stable.get(e.getKey()))
                .map(e -> e.getValue().value())
                .findFirst();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
