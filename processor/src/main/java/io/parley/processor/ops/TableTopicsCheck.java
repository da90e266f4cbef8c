package io.parley.processor.ops;

import io.parley.processor.flow.TableDefinition;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks at start that every reference table's topic exists and is compacted: a table is the latest
 * row per key, and a topic that deletes by age would lose rows that never change (the processor
 * rebuilds a table from its topic when its store is lost).
 */
public final class TableTopicsCheck {

    private final Admin admin;
    private final Duration timeout;

    public TableTopicsCheck(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** @throws ProcessorStartupException in one line naming the table and its topic */
    public void verify(Collection<TableDefinition> tables) {
        for (TableDefinition table : tables) {
            verify(table);
        }
    }

    private void verify(TableDefinition table) {
        String topic = table.topic();
        try {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!described.containsKey(topic)) {
                throw missing(table);
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            String value = policy == null ? "" : policy.value();
            if (!List.of(value.split(",")).contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new ProcessorStartupException("Table '" + table.name() + "': topic " + topic + " has cleanup.policy="
                        + value + "; a reference table's topic must be compacted (cleanup.policy=compact), or rows that do not"
                        + " change would be lost. Set it with kafka-configs --alter --add-config cleanup.policy=compact.");
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw missing(table);
            }
            throw new ProcessorStartupException("Could not describe topic " + topic + " of table '" + table.name() + "': "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ProcessorStartupException("Kafka did not answer within " + timeout + " while topic " + topic + " of table '"
                    + table.name() + "' was described; check bootstrap.servers and the connection settings", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessorStartupException("Interrupted while describing topic " + topic, e);
        }
    }

    private static ProcessorStartupException missing(TableDefinition table) {
        return new ProcessorStartupException("Table '" + table.name() + "': topic " + table.topic() + " does not exist; create it"
                + " compacted (cleanup.policy=compact) and start again.");
    }
}
