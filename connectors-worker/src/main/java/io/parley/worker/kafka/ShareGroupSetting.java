package io.parley.worker.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * One configuration entry of a share group (such as {@code share.isolation.level}), read and set through the
 * Admin client. A consumer cannot choose these for itself; the worker sets the ones it depends on at start.
 */
final class ShareGroupSetting {

    private static final Duration PROPAGATION_POLL = Duration.ofMillis(100);

    private final Admin admin;
    private final ConfigResource group;
    private final String name;
    private final Duration timeout;

    ShareGroupSetting(Admin admin, String groupId, String name, Duration timeout) {
        this.admin = admin;
        this.group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        this.name = name;
        this.timeout = timeout;
    }

    /** The entry as the broker describes it now; null when the broker does not know it. */
    ConfigEntry current() throws ExecutionException, InterruptedException, TimeoutException {
        Config config = admin.describeConfigs(List.of(group)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(group);
        return config == null ? null : config.get(name);
    }

    /**
     * Sets the entry to {@code value} on the group and waits, up to the timeout from this call, until the broker
     * describes it so: the broker learns group settings from the metadata log a moment after the change is accepted.
     *
     * @return whether it was applied within the timeout
     */
    boolean setAndAwait(String value) throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        admin.incrementalAlterConfigs(Map.of(group, List.of(new AlterConfigOp(new ConfigEntry(name, value),
                AlterConfigOp.OpType.SET)))).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        while (true) {
            ConfigEntry entry = current();
            if (entry != null && value.equals(entry.value())) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(PROPAGATION_POLL.toMillis());
        }
    }
}
