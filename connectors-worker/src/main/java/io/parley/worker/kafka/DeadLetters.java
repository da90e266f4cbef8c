package io.parley.worker.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters of the worker: the unreadable record's key, value and headers as they were, plus
 * headers saying where it came from and why it was set aside. The header names follow the ones
 * Kafka Streams writes to its dead-letter queue (KIP-1034), so one tool can read both.
 */
public final class DeadLetters {

    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String MESSAGE = "__streams.errors.message";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";

    private DeadLetters() {
    }

    /** The dead letter of {@code record}; {@code reason} must not hold the record's content. */
    public static ProducerRecord<byte[], byte[]> of(String deadLetterTopic, ConsumerRecord<byte[], byte[]> record,
                                                    Throwable failure, String reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(EXCEPTION, utf8(failure == null ? "none" : failure.getClass().getName()));
        headers.add(MESSAGE, utf8(reason));
        headers.add(TOPIC, utf8(record.topic()));
        headers.add(PARTITION, utf8(String.valueOf(record.partition())));
        headers.add(OFFSET, utf8(String.valueOf(record.offset())));
        return new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
