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
    private final Map<TopicPartition, OpenRequest> latest = new HashMap<>();

    /** A request as written, with where it was written. */
    public record OpenRequest(BackendRequest request, TopicPartition partition, long offset) {
    }

    public OpenTransactionWatch(String bootstrapServers, Admin admin, String requestTopic, Deserializer<BackendRequest> requests) {
        this.admin = admin;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_UNCOMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), requests);
        List<TopicPartition> partitions = consumer.partitionsFor(requestTopic).stream()
                .map(p -> new TopicPartition(requestTopic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
    }

    /** A request matching {@code wanted} written in a transaction that is still open, if there is one now. */
    public Optional<OpenRequest> openRequest(Predicate<BackendRequest> wanted) throws ExecutionException, InterruptedException {
        for (ConsumerRecord<String, BackendRequest> record : consumer.poll(Duration.ofMillis(10))) {
            if (wanted.test(record.value())) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                latest.put(partition, new OpenRequest(record.value(), partition, record.offset()));
            }
        }
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Map<TopicPartition, Long> stable = stableOffsets(List.copyOf(latest.keySet()));
        return latest.values().stream().filter(open -> open.offset() >= stable.get(open.partition())).findFirst();
    }

    /** Whether the transaction of this request is still open now. */
    public boolean isOpen(OpenRequest request) throws ExecutionException, InterruptedException {
        return request.offset() >= stableOffsets(List.of(request.partition())).get(request.partition());
    }

    private Map<TopicPartition, Long> stableOffsets(List<TopicPartition> partitions) throws ExecutionException, InterruptedException {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
