package io.parley.worker;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** One test's topics on a real broker, with the processor's side: producing requests, reading responses. */
final class KafkaTopicsSupport implements AutoCloseable {

    static final Map<String, Object> REGISTRY = Map.of("schema.registry.url", "mock://connectors-worker-it");

    final EmbeddedKafkaCluster kafka;
    final TopicNames names;
    final Topics topics;
    private final KafkaProducer<String, BackendRequest> requests;
    private final KafkaConsumer<String, BackendResponse> responses;
    private final KafkaConsumer<byte[], byte[]> deadLetters;

    /** Creates fresh topics, named after the test, each with {@code partitions} partitions. */
    KafkaTopicsSupport(EmbeddedKafkaCluster kafka, int partitions) {
        this.kafka = kafka;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.names = TopicNames.fromMap(Map.of(
                TopicNames.BACKEND_REQUESTS, "requests-" + suffix,
                TopicNames.BACKEND_RESPONSES, "responses-" + suffix,
                TopicNames.WORKER_DEAD_LETTERS, "requests-dlq-" + suffix));
        kafka.createTopics(partitions, names.backendRequests(), names.backendResponses(), names.workerDeadLetters());
        this.topics = Topics.create(names, REGISTRY);
        this.requests = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.backendRequests().keySerde().serializer(), topics.backendRequests().valueSerde().serializer());
        this.responses = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + suffix,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topics.backendResponses().keySerde().deserializer(), topics.backendResponses().valueSerde().deserializer());
        responses.subscribe(List.of(names.backendResponses()));
        this.deadLetters = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-dlq-reader-" + suffix,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters.subscribe(List.of(names.workerDeadLetters()));
    }

    /** A worker configuration for these topics; the caller adds connectors. */
    WorkerConfig.Builder workerConfig(String groupId) {
        return WorkerConfig.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .schemaRegistry(REGISTRY)
                .topics(names)
                .groupId(groupId)
                .adminPort(0)
                .shutdownTimeout(Duration.ofSeconds(2));
    }

    void send(BackendRequest request) {
        requests.send(new ProducerRecord<>(names.backendRequests(), request.getConversationId(), request));
        requests.flush();
    }

    /** Sends a request with the record timestamp given, as the processor stamps it (its turn's chat event time). */
    void send(BackendRequest request, long timestamp) {
        requests.send(new ProducerRecord<>(names.backendRequests(), null, timestamp, request.getConversationId(), request));
        requests.flush();
    }

    void sendRaw(byte[] key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(names.backendRequests(), key, value));
        }
    }

    /** Responses that arrived since the last call (polls once). */
    List<ConsumerRecord<String, BackendResponse>> pollResponses() {
        List<ConsumerRecord<String, BackendResponse>> received = new ArrayList<>();
        responses.poll(Duration.ofMillis(200)).forEach(received::add);
        return received;
    }

    /** Dead letters that arrived since the last call (polls once). */
    List<ConsumerRecord<byte[], byte[]>> pollDeadLetters() {
        List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
        deadLetters.poll(Duration.ofMillis(200)).forEach(received::add);
        return received;
    }

    @Override
    public void close() {
        requests.close();
        responses.close();
        deadLetters.close();
    }
}
