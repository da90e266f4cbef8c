package io.parley.processor.ops;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks at start that chat events and backend responses are co-partitioned: both keyed by
 * conversation id, they must have the same partition count, or a conversation's answers would be
 * read by another task than its events and never joined.
 */
public final class CoPartitioningCheck {

    private final Admin admin;
    private final Duration timeout;

    public CoPartitioningCheck(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * @throws ProcessorStartupException naming both topics and their partition counts when they
     *     differ, or the topic that does not exist
     * @return the partition count of both
     */
    public int verify(String chatEvents, String backendResponses) {
        Map<String, TopicDescription> topics = describe(List.of(chatEvents, backendResponses));
        int events = topics.get(chatEvents).partitions().size();
        int responses = topics.get(backendResponses).partitions().size();
        if (events != responses) {
            throw new ProcessorStartupException("Topics " + chatEvents + " (" + events + " partitions) and "
                    + backendResponses + " (" + responses + " partitions) must have the same number of partitions: both are "
                    + "keyed by conversation id and joined per partition. Give them the same partition count and start again.");
        }
        return events;
    }

    private Map<String, TopicDescription> describe(List<String> names) {
        try {
            return admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new ProcessorStartupException("A topic the processor reads does not exist (" + String.join(", ", names)
                        + " are needed): " + e.getCause().getMessage() + ". Create the topics and start again.");
            }
            if (e.getCause() instanceof AuthorizationException) {
                throw new ProcessorStartupException("The processor's Kafka principal is not authorized to describe the topics " + names
                        + " (" + e.getCause().getMessage() + "); grant it the ACLs the processor needs (docs/trust.md) and start again.",
                        e.getCause());
            }
            throw new ProcessorStartupException("Could not describe the topics " + names + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ProcessorStartupException("Kafka did not answer within " + timeout + " while the topics " + names
                    + " were described; check bootstrap.servers and the connection settings", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessorStartupException("Interrupted while describing the topics " + names, e);
        }
    }
}
