package io.parley.local;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits until the worker's share group holds every partition of the request topic. Until then a
 * request would wait for the group's first assignment — seconds on a fresh broker — and the
 * session start's greeting would come after the user's first message, which supersedes it.
 */
final class WorkerReadiness {

    private static final Duration RETRY = Duration.ofMillis(100);

    private WorkerReadiness() {
    }

    /**
     * @return {@code true} when the group's members hold every partition of {@code topic},
     *     {@code false} when {@code timeout} passed first
     */
    static boolean await(Admin admin, String groupId, String topic, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The topic's own count: topics kept from an earlier run may have been made with another --partitions.
        int partitions = partitionsOf(admin, topic);
        while (System.nanoTime() < deadline) {
            if (assigned(admin, groupId, topic) >= partitions) {
                return true;
            }
            Thread.sleep(RETRY.toMillis());
        }
        return false;
    }

    private static int partitionsOf(Admin admin, String topic) throws InterruptedException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not describe topic " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    private static int assigned(Admin admin, String groupId, String topic) throws InterruptedException {
        try {
            ShareGroupDescription group = admin.describeShareGroups(List.of(groupId)).describedGroups().get(groupId).get();
            Set<TopicPartition> held = group.members().stream()
                    .map(ShareMemberDescription::assignment)
                    .flatMap(assignment -> assignment.topicPartitions().stream())
                    .filter(partition -> partition.topic().equals(topic))
                    .collect(Collectors.toSet());
            return held.size();
        } catch (ExecutionException e) {
            // The group appears with the worker's first heartbeat; until then it is unknown.
            if (e.getCause() instanceof GroupIdNotFoundException || e.getCause() instanceof RetriableException) {
                return 0;
            }
            throw new IllegalStateException("Could not describe the worker's share group " + groupId + ": " + e.getCause().getMessage(), e);
        }
    }
}
