package io.parley.bridge;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters of the bridge: the original bytes plus headers saying where they came from and why
 * they were set aside. The header names are those Kafka Streams writes to its dead-letter queue
 * (KIP-1034) and the worker uses, so one tool reads all of them.
 */
final class DeadLetters {

    static final String EXCEPTION = "__streams.errors.exception";
    static final String MESSAGE = "__streams.errors.message";
    static final String TOPIC = "__streams.errors.topic";
    static final String PARTITION = "__streams.errors.partition";
    static final String OFFSET = "__streams.errors.offset";
    /** The MQTT topic an unmappable message came on ({@code __streams.errors.topic} then says {@code mqtt:<topic>}). */
    static final String MQTT_TOPIC = "parley.mqtt.topic";

    private DeadLetters() {
    }

    /** An MQTT message that could not be mapped: key the MQTT topic, value the payload as received. */
    static ProducerRecord<byte[], byte[]> ofMqtt(String deadLetterTopic, String mqttTopic, byte[] payload, String reason) {
        Headers headers = new RecordHeaders();
        headers.add(EXCEPTION, utf8(UnmappableMessage.class.getName()));
        headers.add(MESSAGE, utf8(reason));
        headers.add(TOPIC, utf8("mqtt:" + mqttTopic));
        headers.add(MQTT_TOPIC, utf8(mqttTopic));
        return new ProducerRecord<>(deadLetterTopic, null, utf8(mqttTopic), payload, headers);
    }

    /** A command record that cannot be published; {@code reason} must not hold the record's content. */
    static ProducerRecord<byte[], byte[]> ofRecord(String deadLetterTopic, ConsumerRecord<byte[], byte[]> record,
                                                   String reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(EXCEPTION, utf8("none"));
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
