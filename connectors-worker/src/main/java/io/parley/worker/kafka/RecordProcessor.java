package io.parley.worker.kafka;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.parley.runtime.tracing.Tracing;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.serde.registry.SchemaRegistryException;
import io.parley.topics.Topic;
import io.parley.worker.Connectors;
import io.parley.worker.connector.Pause;
import io.parley.worker.connector.Responses;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request record into its response record, whatever the consumer: reads the request,
 * calls the connector it names (on the call executor, so many calls run at once), and produces the
 * {@code BackendResponse} keyed by conversation id. A record that cannot be read goes to the
 * worker's dead-letter topic instead. The returned future completes when Kafka has acknowledged
 * what was produced, which is when the request record may be acknowledged.
 *
 * <p>A response too large for Kafka (larger than {@code maxRecordBytes}, or refused by the
 * producer or the broker as too large) is replaced by a small {@code RESPONSE_TOO_LARGE} response
 * and the record counts as answered: delivering it again would only call the backend again, and
 * apply a write again, for an answer that can never be written.
 *
 * <p>A caller that gives a record up (shutdown) cancels its future; a call still running then
 * produces nothing, so a released record is not answered twice by this worker.
 */
public final class RecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);
    /** Waits before reading a record again while the registry is unavailable; a brief outage is ridden out. */
    private static final List<Duration> REGISTRY_WAITS = List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
    /**
     * What Kafka adds to a record's key and value as the producer and broker count it: the batch
     * header (61 bytes), the record's own framing (at most 21 bytes) and their length prefixes.
     */
    static final int KAFKA_RECORD_FRAMING = 128;

    private final Connectors connectors;
    private final Deserializer<BackendRequest> requests;
    private final Serializer<String> responseKeys;
    private final Serializer<BackendResponse> responses;
    private final String responseTopic;
    /** How many partitions the response topic has, looked up on first use. */
    private volatile Integer responsePartitionCount;
    private final String deadLetterTopic;
    private final Producer<byte[], byte[]> producer;
    private final Executor calls;
    private final WorkerMetrics metrics;
    private final Pause pause;
    private final int maxRecordBytes;
    private final CallSpans spans;

    /**
     * @param pause how to wait between attempts to read a record while the schema registry is unreachable
     * @param maxRecordBytes the largest response record Kafka accepts ({@link ResponseRecordLimit#recordBytes()})
     */
    public RecordProcessor(Connectors connectors, Topic<String, BackendRequest> requestTopic,
                           Topic<String, BackendResponse> responseTopic, String deadLetterTopic,
                           Producer<byte[], byte[]> producer, Executor calls, WorkerMetrics metrics, Pause pause,
                           int maxRecordBytes) {
        this(connectors, requestTopic, responseTopic, deadLetterTopic, producer, calls, metrics, pause, maxRecordBytes,
                Tracing.off());
    }

    /** @param tracing the span of each call, and the trace context passed to the backend and back in the response */
    public RecordProcessor(Connectors connectors, Topic<String, BackendRequest> requestTopic,
                           Topic<String, BackendResponse> responseTopic, String deadLetterTopic,
                           Producer<byte[], byte[]> producer, Executor calls, WorkerMetrics metrics, Pause pause,
                           int maxRecordBytes, Tracing tracing) {
        this.spans = new CallSpans(tracing);
        this.connectors = connectors;
        this.requests = requestTopic.valueSerde().deserializer();
        this.responseKeys = responseTopic.keySerde().serializer();
        this.responses = responseTopic.valueSerde().serializer();
        this.responseTopic = responseTopic.name();
        this.deadLetterTopic = deadLetterTopic;
        this.producer = producer;
        this.calls = calls;
        this.metrics = metrics;
        this.pause = pause;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Starts processing a record; the future says how it ended once its output is safely in Kafka. */
    public CompletableFuture<Disposition> process(ConsumerRecord<byte[], byte[]> record) {
        metrics.received();
        CompletableFuture<Disposition> disposition = new CompletableFuture<>();
        disposition.whenComplete((result, failure) -> metrics.done());
        try {
            calls.execute(() -> run(record, disposition));
        } catch (RejectedExecutionException e) {
            disposition.complete(Disposition.NOT_SENT);
        }
        return disposition;
    }

    private void run(ConsumerRecord<byte[], byte[]> record, CompletableFuture<Disposition> disposition) {
        if (disposition.isDone()) {
            return;
        }
        try {
            Output output = answer(record);
            if (disposition.isDone()) {
                // Given up while the call ran (shutdown): the record is released, so nothing is produced.
                return;
            }
            if (output.response() != null && recordBytes(output.record()) > maxRecordBytes) {
                output = tooLarge(record, output, "the response record would be " + recordBytes(output.record())
                        + " bytes; " + responseTopic + " accepts " + maxRecordBytes);
            }
            send(record, output, disposition);
        } catch (RegistryUnavailable e) {
            LOG.warn("Record {}-{}@{} cannot be read while the schema registry is unavailable; it will be delivered again",
                    record.topic(), record.partition(), record.offset());
            disposition.complete(Disposition.NOT_SENT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disposition.complete(Disposition.NOT_SENT);
        } catch (RuntimeException e) {
            LOG.error("Processing record {}-{}@{} failed; it will be delivered again", record.topic(), record.partition(),
                    record.offset(), e);
            disposition.complete(Disposition.NOT_SENT);
        }
    }

    private void send(ConsumerRecord<byte[], byte[]> record, Output output, CompletableFuture<Disposition> disposition) {
        producer.send(output.record(), (metadata, failure) -> {
            if (failure == null) {
                if (output.disposition() == Disposition.ANSWERED) {
                    metrics.answered();
                }
                disposition.complete(output.disposition());
            } else if (failure instanceof RecordTooLargeException && output.response() != null
                    && output.response().getStatus() != BackendStatus.RESPONSE_TOO_LARGE) {
                // Refused by the producer or the broker (whose limit may have changed since start). Sent again
                // from a call thread: this callback may run on the producer's I/O thread, which must not block.
                try {
                    calls.execute(() -> send(record, tooLarge(record, output, "Kafka refused the response record as too large"),
                            disposition));
                } catch (RejectedExecutionException e) {
                    disposition.complete(Disposition.NOT_SENT);
                }
            } else {
                LOG.warn("Could not produce the {} of record {}-{}@{} ({}); it will be delivered again",
                        output.disposition() == Disposition.ANSWERED ? "response" : "dead letter",
                        record.topic(), record.partition(), record.offset(), failure.getClass().getSimpleName());
                disposition.complete(Disposition.NOT_SENT);
            }
        });
    }

    private static int recordBytes(ProducerRecord<byte[], byte[]> record) {
        return (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length)
                + KAFKA_RECORD_FRAMING;
    }

    /** The small response that replaces one Kafka cannot take; the record counts as answered. */
    private Output tooLarge(ConsumerRecord<byte[], byte[]> record, Output output, String reason) {
        BackendResponse original = output.response();
        LOG.warn("The response to request record {}-{}@{} ({} {}) is too large for Kafka ({}); answered RESPONSE_TOO_LARGE"
                        + " instead, without calling the backend again", record.topic(), record.partition(), record.offset(),
                original.getConnector(), original.getOperation(), reason);
        metrics.responseTooLarge();
        BackendResponse small = Responses.tooLarge(original, "the answer does not fit a response record: " + reason);
        byte[] value = responses.serialize(responseTopic, small);
        ProducerRecord<byte[], byte[]> replaced = new ProducerRecord<>(output.record().topic(), output.record().partition(),
                output.record().timestamp(), output.record().key(), value, output.record().headers());
        return new Output(replaced, Disposition.ANSWERED, small);
    }

    private Output answer(ConsumerRecord<byte[], byte[]> record) throws RegistryUnavailable, InterruptedException {
        BackendRequest request;
        try {
            request = read(record);
        } catch (RuntimeException e) {
            LOG.warn("Skipping request record {}-{}@{}: it is not a readable BackendRequest ({}); sent to {}",
                    record.topic(), record.partition(), record.offset(), e.getClass().getSimpleName(), deadLetterTopic);
            metrics.skipped("undecodable");
            return new Output(DeadLetters.of(deadLetterTopic, record, e,
                    "not a readable BackendRequest: " + e.getMessage()), Disposition.DEAD_LETTERED, null);
        }
        Span span = spans.start(record.headers(), request);
        BackendResponse response;
        try (Scope current = span.makeCurrent()) {
            response = connectors.call(request);
        } catch (RuntimeException e) {
            spans.fail(span, e);
            throw e;
        }
        spans.end(span, response);
        byte[] key = responseKeys.serialize(responseTopic, response.getConversationId());
        byte[] value = responses.serialize(responseTopic, response);
        RecordHeaders headers = new RecordHeaders();
        spans.inject(span, headers);
        // The response carries its request's timestamp (the time of the message that started the turn), not
        // the time it was written: a Kafka Streams task handles the record with the lowest timestamp among its
        // partitions first, so a response stamped "now" waits behind every chat event that arrived meanwhile,
        // and behind a backlog of them its turn passes its deadline with the answer already in Kafka.
        return new Output(new ProducerRecord<>(responseTopic, replyPartition(request, record), timestampOf(record), key, value,
                headers), Disposition.ANSWERED, response);
    }

    /** The request record's timestamp; none (the producer's clock decides) when the record has none. */
    private static Long timestampOf(ConsumerRecord<byte[], byte[]> record) {
        return record.timestamp() >= 0 ? record.timestamp() : null;
    }

    /**
     * The partition the processor asked for: its task holding the session reads it, whichever
     * partitioner the channel used. Without one (an older processor) the key decides; a partition
     * the topic does not have is refused there, logged, and the key decides too.
     */
    private Integer replyPartition(BackendRequest request, ConsumerRecord<byte[], byte[]> record) {
        Integer wanted = request.getReplyPartition();
        if (wanted == null) {
            return null;
        }
        int partitions = responsePartitions();
        if (wanted >= 0 && wanted < partitions) {
            return wanted;
        }
        LOG.warn("Request record {}-{}@{} asks for the answer on partition {} of {}, which has {} partitions; keyed by"
                + " conversation id instead", record.topic(), record.partition(), record.offset(), wanted, responseTopic, partitions);
        return null;
    }

    private int responsePartitions() {
        Integer known = responsePartitionCount;
        if (known == null || known == 0) {
            known = producer.partitionsFor(responseTopic).size();
            responsePartitionCount = known;
        }
        return known;
    }

    /**
     * Reads a request. While the schema registry cannot be reached the record may be perfectly
     * good, so reading is tried again a few times, and then the record is given back for a later
     * delivery rather than dead-lettered.
     */
    private BackendRequest read(ConsumerRecord<byte[], byte[]> record) throws RegistryUnavailable, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                BackendRequest request = requests.deserialize(record.topic(), record.headers(), record.value());
                if (request == null) {
                    throw new SerializationException("the record has no value");
                }
                return request;
            } catch (RuntimeException e) {
                if (!registryUnavailable(e)) {
                    throw e;
                }
                if (attempt == REGISTRY_WAITS.size() + 1) {
                    throw new RegistryUnavailable();
                }
                pause.pause(REGISTRY_WAITS.get(attempt - 1));
            }
        }
    }

    /** Whether the failure is the registry not answering (or answering 5xx/429), not the record being bad. */
    private static boolean registryUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry) {
                int status = registry.httpStatus();
                return status == 0 || status == 429 || status >= 500;
            }
        }
        return false;
    }

    /** What to produce for a record; {@code response} is the answer it carries, null for a dead letter. */
    private record Output(ProducerRecord<byte[], byte[]> record, Disposition disposition, BackendResponse response) {
    }

    /** The schema registry could not be reached to read a record. */
    private static final class RegistryUnavailable extends Exception {

        private static final long serialVersionUID = 1L;

        RegistryUnavailable() {
            super(null, null, false, false);
        }
    }
}
