package io.parley.bench.pipeline;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.common.GroupState;

/** The worker's share group, seen through the admin API: where it starts, and when it is ready. */
final class ShareGroups {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private final Admin admin;

    ShareGroups(Admin admin) {
        this.admin = admin;
    }

    /**
     * Makes the group start at the earliest offset: share groups start at the latest offset unless
     * told otherwise, and a request the processor sent before the worker joined would be skipped.
     */
    void startAtEarliest(String groupId) throws InterruptedException {
        EmbeddedKafkaCluster.startShareGroupAtEarliest(admin, groupId);
    }

    /**
     * Waits until the group is stable with at least {@code members} members that each have
     * partitions assigned: from then on a request is fetched at once, not after the next
     * heartbeat's assignment (5 s by default).
     */
    void awaitAssigned(String groupId, int members, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not described yet";
        while (System.nanoTime() < deadline) {
            try {
                ShareGroupDescription group = admin.describeShareGroups(List.of(groupId)).describedGroups().get(groupId)
                        .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                long assigned = group.members().stream().filter(ShareGroups::hasPartitions).count();
                if (group.groupState() == GroupState.STABLE && assigned >= members) {
                    return;
                }
                last = group.groupState() + " with " + assigned + " of " + members + " members assigned";
            } catch (ExecutionException | TimeoutException e) {
                last = (e.getCause() == null ? e : e.getCause()).getMessage();
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("The worker's share group " + groupId + " was not ready within " + timeout + ": " + last);
    }

    private static boolean hasPartitions(ShareMemberDescription member) {
        return member.assignment() != null && !member.assignment().topicPartitions().isEmpty();
    }
}
