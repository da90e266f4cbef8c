package io.parley.processor.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The group configurations of a streams group (rebalance protocol {@code streams}, KIP-1071).
 * Under that protocol the client's {@code session.timeout.ms}, {@code heartbeat.interval.ms} and
 * {@code num.standby.replicas} are not used: the broker keeps them per group
 * ({@code streams.session.timeout.ms}, {@code streams.heartbeat.interval.ms},
 * {@code streams.num.standby.replicas}; defaults {@code group.streams.*}: 45 s, 5 s, 0). The
 * processor sets them from its own settings before it joins, so processor.yaml stays the one place
 * they are configured, and sets the group's initial rebalance delay to 0
 * ({@link #INITIAL_REBALANCE_DELAY}). The broker refuses values outside its bounds
 * ({@code group.streams.min.session.timeout.ms} is 45 s by default, {@code group.streams.max.standby.replicas} 2).
 */
public final class StreamsGroupSettings {

    static final String SESSION_TIMEOUT = "streams.session.timeout.ms";
    static final String HEARTBEAT_INTERVAL = "streams.heartbeat.interval.ms";
    static final String NUM_STANDBY_REPLICAS = "streams.num.standby.replicas";
    /**
     * How long the coordinator waits before the first assignment of an empty group (3 s by default),
     * for more members to join. A processor restarted in place after a crash finds its group empty
     * once the killed member's session has expired, and waited those 3 s on top (bench S6
     * {@code restart} under {@code streams}: 19 s with the delay, 13.8 s without); Parley's tasks
     * move cheaply, so a first start of several instances that joins one by one costs less than
     * that wait after every crash.
     */
    static final String INITIAL_REBALANCE_DELAY = "streams.initial.rebalance.delay.ms";

    private StreamsGroupSettings() {
    }

    /** The group configurations for these settings; empty under the classic protocol. */
    public static Map<String, String> groupConfigs(MembershipSettings membership, Map<String, String> kafka) {
        Map<String, String> configs = new LinkedHashMap<>();
        if (membership.protocol() != MembershipSettings.Protocol.STREAMS) {
            return configs;
        }
        configs.put(SESSION_TIMEOUT, Long.toString(membership.sessionTimeout().toMillis()));
        configs.put(HEARTBEAT_INTERVAL, Long.toString(membership.heartbeatInterval().toMillis()));
        String standbys = kafka.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG);
        configs.put(NUM_STANDBY_REPLICAS, standbys == null ? "0" : standbys.strip());
        configs.put(INITIAL_REBALANCE_DELAY, "0");
        return configs;
    }

    /**
     * Sets the group configurations of the application's streams group (a no-op under classic).
     *
     * @throws ConfigException naming the {@code membership} section when the broker refuses them
     */
    public static void apply(Admin admin, String applicationId, MembershipSettings membership, Map<String, String> kafka,
                             Duration timeout) {
        Map<String, String> configs = groupConfigs(membership, kafka);
        if (configs.isEmpty()) {
            return;
        }
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, applicationId);
        List<AlterConfigOp> ops = configs.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ConfigException("membership.protocol: streams: the broker refused the streams group settings "
                    + configs + " of group " + applicationId + " (" + e.getCause().getMessage()
                    + "); check group.streams.min.session.timeout.ms / min.heartbeat.interval.ms / max.standby.replicas"
                    + " on the broker, or use protocol: classic");
        } catch (TimeoutException e) {
            throw new ConfigException("membership.protocol: streams: the broker did not confirm the streams group settings"
                    + " of group " + applicationId + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the streams group settings", e);
        }
    }
}
