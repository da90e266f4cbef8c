package io.parley.bridge;

import io.parley.runtime.DaemonThreads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device commands from Kafka to MQTT: each record (key: device id, value: the payload) is published
 * at QoS 1 to the device's command topic; offsets are committed only after the broker has every
 * message of the batch, so a restart publishes again rather than loses. A record without a usable
 * device id goes to the dead-letter topic.
 */
final class CommandRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRelay.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    private final BridgeConfig.Commands commands;
    private final Consumer<byte[], byte[]> consumer;
    private final MqttConnection mqtt;
    private final Producer<byte[], byte[]> producer;
    private final String deadLetterTopic;
    private final BridgeMetrics metrics;
    private final Duration retryWait;
    private final Thread thread;
    private volatile boolean closed;

    CommandRelay(BridgeConfig.Commands commands, Consumer<byte[], byte[]> consumer, MqttConnection mqtt,
                 Producer<byte[], byte[]> producer, String deadLetterTopic, BridgeMetrics metrics, Duration retryWait) {
        this.commands = commands;
        this.consumer = consumer;
        this.mqtt = mqtt;
        this.producer = producer;
        this.deadLetterTopic = deadLetterTopic;
        this.metrics = metrics;
        this.retryWait = retryWait;
        this.thread = DaemonThreads.named("parley-bridge-commands").newThread(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(commands.topic()));
            while (!closed) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    relay(record);
                    if (closed) {
                        return;
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("The command relay stopped", e);
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void relay(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        String deviceId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String problem = deviceIdProblem(deviceId);
        if (problem != null) {
            LOG.warn("Command at {}-{}@{} not published: {}; sent to {}", record.topic(), record.partition(),
                    record.offset(), problem, deadLetterTopic);
            try {
                producer.send(DeadLetters.ofRecord(deadLetterTopic, record, problem)).get(30, TimeUnit.SECONDS);
                metrics.commandsDeadLettered.increment();
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Cannot write a dead letter to " + deadLetterTopic, e);
            }
            return;
        }
        String topic = commands.mqttTopicFor(deviceId);
        byte[] payload = record.value() == null ? new byte[0] : record.value();
        while (!closed) {
            try {
                mqtt.publish(topic, payload, PUBLISH_TIMEOUT);
                metrics.commandsPublished.increment();
                return;
            } catch (MqttException e) {
                LOG.warn("Command at {}-{}@{} not published yet ({}); trying again in {}", record.topic(),
                        record.partition(), record.offset(), e.getMessage(), retryWait);
                Thread.sleep(retryWait.toMillis());
            }
        }
    }

    /** Why a key cannot name a device's MQTT topic, or null when it can. */
    static String deviceIdProblem(String deviceId) {
        if (deviceId == null || deviceId.isBlank()) {
            return "the record has no key (the device id)";
        }
        if (deviceId.contains("/") || deviceId.contains("+") || deviceId.contains("#") || deviceId.contains("\u0000")) {
            return "the device id contains /, +, # or NUL, which cannot be part of an MQTT topic level";
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
