package io.parley.mcp;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tool calls as backend requests: produces each {@link BackendRequest} to the requests topic and
 * completes its future when the worker's {@link BackendResponse} with the same request id arrives.
 * The responses topic is read from its end on every partition (no consumer group: each server
 * instance sees every answer and takes its own), by one thread.
 */
final class KafkaBackend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBackend.class);

    private final Topic<String, BackendRequest> requests;
    private final KafkaProducer<String, BackendRequest> producer;
    private final Topic<String, AuditEvent> audit;
    private final KafkaProducer<String, AuditEvent> auditProducer;
    private final KafkaConsumer<String, BackendResponse> consumer;
    private final Map<String, CompletableFuture<BackendResponse>> awaited = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    KafkaBackend(Map<String, String> kafka, Topics topics) {
        this.requests = topics.backendRequests();
        Map<String, Object> producerConfig = new HashMap<>(kafka);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(producerConfig, requests.keySerde().serializer(), requests.valueSerde().serializer());
        this.audit = topics.audit();
        this.auditProducer = new KafkaProducer<>(producerConfig, audit.keySerde().serializer(), audit.valueSerde().serializer());
        Map<String, Object> consumerConfig = new HashMap<>(kafka);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Topic<String, BackendResponse> responses = topics.backendResponses();
        this.consumer = new KafkaConsumer<>(consumerConfig, responses.keySerde().deserializer(), responses.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(responses.name(), Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolved now, so an answer to the first call (made right after start) is not skipped.
        partitions.forEach(consumer::position);
        this.reader = new Thread(this::read, "parley-mcp-responses");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends the request; the future completes with its answer (never exceptionally unless the send fails). */
    CompletableFuture<BackendResponse> call(BackendRequest request) {
        CompletableFuture<BackendResponse> answer = new CompletableFuture<>();
        awaited.put(request.getRequestId(), answer);
        producer.send(new ProducerRecord<>(requests.name(), request.getConversationId(), request), (metadata, error) -> {
            if (error != null) {
                awaited.remove(request.getRequestId());
                answer.completeExceptionally(error);
            }
        });
        return answer;
    }

    /** Writes a tool call's audit record, keyed by its conversation; a failure is logged (without content), the call stands. */
    void audit(AuditEvent event) {
        auditProducer.send(new ProducerRecord<>(audit.name(), event.getConversationId(), event), (metadata, error) -> {
            if (error != null) {
                LOG.warn("The audit record of a tool call could not be written to {} ({})", audit.name(), error.getClass().getSimpleName());
            }
        });
    }

    /** Stops waiting for an answer (the call gave up). */
    void forget(String requestId) {
        awaited.remove(requestId);
    }

    private void read() {
        try {
            while (running) {
                ConsumerRecords<String, BackendResponse> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (RecordDeserializationException e) {
                    // Not an answer anybody here can read: skip it, keep reading.
                    LOG.warn("Skipped an unreadable record on {} partition {} offset {}", e.topicPartition().topic(),
                            e.topicPartition().partition(), e.offset());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, BackendResponse> record : records) {
                    BackendResponse response = record.value();
                    if (response == null) {
                        continue;
                    }
                    CompletableFuture<BackendResponse> answer = awaited.remove(response.getRequestId());
                    if (answer != null) {
                        answer.complete(response);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Reading backend responses stopped ({}); tool calls will time out", e.getClass().getSimpleName(), e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        auditProducer.close(Duration.ofSeconds(5));
    }
}
