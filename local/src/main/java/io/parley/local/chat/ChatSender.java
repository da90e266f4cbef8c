package io.parley.local.chat;

import io.parley.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the console's events to their topics, one at a time and acknowledged by the
 * broker before the console goes on, so a failure is shown right where it happened.
 */
final class ChatSender implements AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;

    ChatSender(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "parley-console");
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends a record keyed as the topic wants it and waits for the broker's acknowledgement.
     *
     * @throws ChatSendException when the record could not be serialized or was not acknowledged
     */
    <K, V> void send(Topic<K, V> topic, K key, V value) {
        byte[] keyBytes;
        byte[] valueBytes;
        try {
            keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
            valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        } catch (RuntimeException e) {
            throw new ChatSendException("Could not send to " + topic.name() + ": " + e.getMessage(), e);
        }
        send(topic.name(), keyBytes, valueBytes);
    }

    /**
     * Sends a row of a reference table: a text key and a JSON value ({@code null}: a tombstone deleting the row), and
     * waits for the broker's acknowledgement.
     *
     * @throws ChatSendException when the record was not acknowledged
     */
    void sendRow(String topic, String key, byte[] json) {
        send(topic, key.getBytes(StandardCharsets.UTF_8), json);
    }

    private void send(String topic, byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ChatSendException("Could not send to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ChatSendException("Kafka did not acknowledge a record on " + topic + " within " + SEND_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChatSendException("Interrupted while sending to " + topic, e);
        } catch (RuntimeException e) {
            throw new ChatSendException("Could not send to " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Something the console tried to send did not reach Kafka. */
    static final class ChatSendException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ChatSendException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
