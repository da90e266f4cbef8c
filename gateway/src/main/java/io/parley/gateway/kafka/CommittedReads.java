package io.parley.gateway.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * The consumer settings every reader of the gateway starts from. Replies, notifications and audit
 * records are written by the processor inside its transactions under exactly-once; a reader that
 * saw uncommitted records would show a browser or a platform a reply of a transaction that was then
 * aborted, and the retried turn's reply a second time. So the gateway reads committed records only,
 * whatever the {@code kafka:} section says.
 */
public final class CommittedReads {

    private CommittedReads() {
    }

    /** A copy of the configured client settings for a reader that commits no offsets of its own accord. */
    public static Map<String, Object> consumerConfig(Map<String, Object> kafkaConfig, String clientId) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }
}
