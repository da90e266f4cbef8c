package io.parley.worker.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a new share group start at the earliest offset of the request topic. A share group starts
 * at the <em>latest</em> offset unless its {@code share.auto.offset.reset} says otherwise, so the
 * requests a processor sent before the group's first worker joined (processors and workers start
 * in any order in Kubernetes, and nothing there ran {@code kafka-init.sh}) were never called: their
 * turns ended in fallbacks at their deadlines. The setting only matters when the group first reads
 * a partition; a group that has already started keeps its place. An operator's own setting on the
 * group (for example {@code latest}, on purpose) is left alone.
 */
final class ShareGroupStart {

    static final String CONFIG = "share.auto.offset.reset";
    static final String EARLIEST = "earliest";

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupStart.class);

    private ShareGroupStart() {
    }

    /**
     * Sets {@code share.auto.offset.reset=earliest} on the group unless the group has a setting of
     * its own, and waits (up to {@code timeout}) until the broker applies it. When the worker may
     * not change it, it logs a WARN with the command to run and starts anyway: only requests sent
     * before the first worker of a new group joined are at stake.
     */
    static void startAtEarliestUnlessSet(Admin admin, String groupId, Duration timeout) {
        ShareGroupSetting reset = new ShareGroupSetting(admin, groupId, CONFIG, timeout);
        try {
            ConfigEntry current = reset.current();
            if (current != null && current.source() == ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG) {
                if (!EARLIEST.equals(current.value())) {
                    LOG.info("Share group {}: {}={} is set on the group and kept; requests sent before its first worker"
                            + " joined are not called", groupId, CONFIG, current.value());
                }
                return;
            }
            boolean applied = reset.setAndAwait(EARLIEST);
            LOG.info("Share group {}: set {}={}, so requests sent before the first worker joined are called too", groupId,
                    CONFIG, EARLIEST);
            if (!applied) {
                LOG.warn("Share group {}: {}={} is not applied by the broker yet", groupId, CONFIG, EARLIEST);
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("Share group {}: could not set {}={} ({}); if the group is new, requests sent before its first worker"
                    + " joined are not called. Set it with: kafka-configs --bootstrap-server <servers> --alter --entity-type"
                    + " groups --entity-name {} --add-config {}={}", groupId, CONFIG, EARLIEST,
                    cause.getClass().getSimpleName(), groupId, CONFIG, EARLIEST);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
