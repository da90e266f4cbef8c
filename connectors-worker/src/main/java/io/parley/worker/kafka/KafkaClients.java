package io.parley.worker.kafka;

import io.parley.worker.WorkerConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The worker's Kafka client settings: the {@code kafka:} map of worker.yaml, with the settings
 * the worker's guarantees depend on forced on top (explicit acknowledgement, no auto-commit,
 * committed requests only, idempotent producer with acks=all, raw bytes so unreadable records can
 * be dead-lettered).
 */
final class KafkaClients {

    private final WorkerConfig config;
    private final String instance;

    /**
     * @param instance tells this worker's clients from other workers' in the same JVM (client ids must differ)
     */
    KafkaClients(WorkerConfig config, String instance) {
        this.config = config;
        this.instance = instance;
    }

    Map<String, Object> shareConsumer(int index) {
        Map<String, Object> properties = common();
        properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                Math.max(1, config.concurrency() / config.consumers()));
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("share-" + index));
        properties.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        // With every broker unreachable the share consumer (Kafka 4.3) rebootstraps in a tight loop, without
        // backoff: thousands of "Rebootstrapping" lines a second and a busy CPU. The worker closes its share
        // consumers during an outage anyway (BrokerWatch) and makes new ones, bootstrapped afresh, afterwards.
        properties.putIfAbsent(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        // Fetch no more than max.poll.records: records a loop cannot start yet stay available to other workers.
        properties.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    Map<String, Object> classicConsumer() {
        Map<String, Object> properties = common();
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.concurrency());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("classic"));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The processor writes requests in transactions: one it aborted must never be called.
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    /** For the share group's settings (see {@link ShareGroupIsolation}). */
    Map<String, Object> admin() {
        return admin("admin");
    }

    /** An admin client's settings; {@code role} tells its client id from the others'. */
    Map<String, Object> admin(String role) {
        Map<String, Object> properties = common();
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId(role));
        return properties;
    }

    /**
     * The broker watch's admin client: it probes an absent broker every second, so it must not
     * rebootstrap in a loop (which the admin client of Kafka 4.3 does, logging each time) either.
     */
    Map<String, Object> watchAdmin() {
        Map<String, Object> properties = admin("watch");
        properties.putIfAbsent(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        return properties;
    }

    /** The brokers the worker was told to bootstrap from, for messages. */
    String bootstrapServers() {
        return String.valueOf(config.kafka().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    Map<String, Object> producer() {
        Map<String, Object> properties = common();
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId("producer"));
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return properties;
    }

    private Map<String, Object> common() {
        Map<String, Object> properties = new HashMap<>(config.kafka());
        // While the brokers are unreachable, try again less and less often (up to every 5 s) instead of in a tight
        // loop: an outage then costs little CPU and log, and the clients still find the brokers soon after they return.
        properties.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, 250);
        properties.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
        properties.putIfAbsent(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, 250);
        properties.putIfAbsent(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG, 5_000);
        return properties;
    }

    private String clientId(String role) {
        Object base = config.kafka().getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG, config.groupId());
        return base + "-" + instance + "-" + role;
    }
}
