package io.parley.analytics.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The stats topic holds one record per bot, period and bucket, the latest one wins: it must be
 * compacted. Created compacted when missing; an existing topic that would delete old buckets
 * instead of keeping the latest of each stops the start.
 */
public final class StatsTopic {

    private static final long TIMEOUT_SECONDS = 30;

    private StatsTopic() {
    }

    public static void ensureCompacted(Admin admin, String topic) {
        try {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Map<ConfigResource, Config> configs;
            try {
                configs = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                create(admin, topic);
                return;
            }
            String policy = configs.get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new ConfigException("topics.stats: the topic " + topic + " has cleanup.policy=" + policy
                        + "; it must be compacted (kafka-configs --alter --entity-type topics --entity-name " + topic
                        + " --add-config cleanup.policy=compact)");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot check the stats topic " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the stats topic " + topic, e);
        }
    }

    private static void create(Admin admin, String topic) throws InterruptedException, ExecutionException, TimeoutException {
        NewTopic compacted = new NewTopic(topic, java.util.Optional.empty(), java.util.Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(compacted)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
