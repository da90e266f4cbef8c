package io.parley.worker.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the worker's share group deliver committed requests only. The processor writes its
 * requests in transactions; a share group reads uncommitted records unless its
 * {@code share.isolation.level} says otherwise (there is no broker-wide default), and then a
 * processor that crashes mid-transaction has its aborted requests called anyway — a write the
 * conversation never committed to, and an answer (with the aborted request's deadline) taken for
 * the answer to the request's retry. A consumer cannot choose this for itself, so the worker sets
 * the group's configuration at start, and refuses to start when it may not and the group is wrong.
 */
final class ShareGroupIsolation {

    static final String CONFIG = "share.isolation.level";
    static final String READ_COMMITTED = IsolationLevel.READ_COMMITTED.toString();

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupIsolation.class);

    private ShareGroupIsolation() {
    }

    /**
     * Sets the group to read committed records when it does not already, and waits (up to
     * {@code timeout}) until the broker applies it.
     *
     * @throws ConfigException when the group reads uncommitted records and the setting cannot be changed,
     *                         with the command an operator can run instead
     */
    static void requireReadCommitted(Admin admin, String groupId, Duration timeout) {
        ShareGroupSetting isolation = new ShareGroupSetting(admin, groupId, CONFIG, timeout);
        try {
            ConfigEntry entry = isolation.current();
            String current = entry == null || entry.value() == null ? IsolationLevel.READ_UNCOMMITTED.toString() : entry.value();
            if (READ_COMMITTED.equals(current)) {
                return;
            }
            boolean applied = isolation.setAndAwait(READ_COMMITTED);
            LOG.info("Share group {}: set {}={} (it was {}), so requests of aborted processor transactions are never called",
                    groupId, CONFIG, READ_COMMITTED, current);
            if (!applied) {
                LOG.warn("Share group {}: {}={} is not applied by the broker yet", groupId, CONFIG, READ_COMMITTED);
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ConfigException("Share group " + groupId + " must deliver committed requests only, and the worker could not"
                    + " make sure it does (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + "). Set it with:"
                    + " kafka-configs --bootstrap-server <servers> --alter --entity-type groups --entity-name " + groupId
                    + " --add-config " + CONFIG + "=" + READ_COMMITTED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("Interrupted while checking " + CONFIG + " of share group " + groupId);
        }
    }
}
