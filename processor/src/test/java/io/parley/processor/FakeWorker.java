package io.parley.processor;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Stands in for the connectors worker (another module) in integration tests: reads backend
 * requests from the real broker and answers each with what the test's function returns (a JSON
 * result, or {@code null} for NOT_FOUND).
 */
final class FakeWorker implements AutoCloseable {

    private final KafkaConsumer<String, BackendRequest> consumer;
    private final KafkaProducer<String, BackendResponse> producer;
    private final Function<BackendRequest, String> answers;
    private final Topics topics;
    private final List<BackendRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** While set, requests are received but not answered (a slow backend); {@link #release} answers them. */
    private final AtomicBoolean held = new AtomicBoolean(false);
    private final List<ConsumerRecord<String, BackendRequest>> waiting = new java.util.ArrayList<>();
    private final Thread thread;

    FakeWorker(String bootstrapServers, Topics topics, Function<BackendRequest, String> answers) {
        this.topics = topics;
        this.answers = answers;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "fake-worker-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topics.backendRequests().keySerde().deserializer(), topics.backendRequests().valueSerde().deserializer());
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                topics.backendResponses().keySerde().serializer(), topics.backendResponses().valueSerde().serializer());
        consumer.subscribe(List.of(topics.backendRequests().name()));
        this.thread = new Thread(this::run, "fake-worker");
        thread.start();
    }

    List<BackendRequest> received() {
        return List.copyOf(received);
    }

    /** From now on requests wait unanswered until {@link #release}. */
    void hold() {
        held.set(true);
    }

    /** Answers the requests held, and the next ones at once. */
    void release() {
        held.set(false);
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, BackendRequest> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                    waiting.add(record);
                }
                if (!held.get()) {
                    for (ConsumerRecord<String, BackendRequest> record : waiting) {
                        producer.send(new ProducerRecord<>(topics.backendResponses().name(), record.key(), answer(record.value())));
                    }
                    waiting.clear();
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    private BackendResponse answer(BackendRequest request) {
        String result = answers.apply(request);
        return BackendResponse.newBuilder()
                .setRequestId(request.getRequestId())
                .setConversationId(request.getConversationId())
                .setConnector(request.getConnector())
                .setOperation(request.getOperation())
                .setStatus(result == null ? BackendStatus.NOT_FOUND : BackendStatus.OK)
                .setResult(result)
                .setLatencyMs(5)
                .setAttempts(1)
                .setCompletedAt(Instant.now())
                .build();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        producer.close();
    }
}
