package io.parley.worker.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the worker's share group deliver only committed requests.
 *
 * <p>The processor writes requests in Kafka transactions. A share group reads uncommitted records
 * unless its {@code share.isolation.level} says otherwise, so a request of a transaction that was
 * later aborted (a processor crash) would reach the backend, and the processor's retry of that
 * turn would call it a second time. Consumer groups are told by a client setting; share groups
 * only by this group configuration, which the worker sets at start when it may.
 */
final class ShareGroupIsolation {

    static final String CONFIG = "share.isolation.level";
    static final String READ_COMMITTED = "read_committed";

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupIsolation.class);

    private ShareGroupIsolation() {
    }

    /** Sets {@value #CONFIG} of the group to read_committed; warns (and goes on) when the cluster refuses. */
    static void ensureReadCommitted(Map<String, Object> adminConfig, String groupId) {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        AlterConfigOp readCommitted = new AlterConfigOp(new ConfigEntry(CONFIG, READ_COMMITTED), AlterConfigOp.OpType.SET);
        try (Admin admin = Admin.create(adminConfig)) {
            admin.incrementalAlterConfigs(Map.of(group, List.of(readCommitted))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("Could not set {}={} on share group {} ({}): set it on the group, or requests of aborted processor "
                    + "transactions may reach backends", CONFIG, READ_COMMITTED, groupId, cause.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
