package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code membership:} section of processor.yaml: how an instance belongs to the processor's
 * consumer group, which decides how fast conversations answer again after a crash.
 *
 * <ul>
 *   <li>{@code instanceId}: a stable identity per instance (the pod name: {@code ${env:POD_NAME}}
 *       of a StatefulSet). With one the instance is a static member ({@code group.instance.id};
 *       Kafka Streams appends the thread index): restarted after a crash, it takes its own
 *       partitions back at once instead of waiting for its old member's session to time out.
 *       Without one, every start is a new member.</li>
 *   <li>{@code sessionTimeout}: how long the group waits for an instance that stopped
 *       heartbeating before a survivor takes its partitions (a crash without restart). Shorter
 *       is a faster takeover; too short turns a long GC pause or network hiccup into a rebalance.
 *       The broker allows 6 s to 30 min by default ({@code group.min/max.session.timeout.ms}).</li>
 *   <li>{@code leaveGroupOnShutdown}: whether a static member leaves the group on SIGTERM. No
 *       (the default) for rolling restarts: its partitions wait for it, nothing moves. Yes when
 *       instances are removed for good (scale-in), so survivors take over at once. A dynamic
 *       member always leaves.</li>
 *   <li>{@code protocol}: the rebalance protocol, {@code classic} (the default) or {@code streams}
 *       (KIP-1071, {@code group.protocol=streams}; Kafka 4.4 clients accept it with static
 *       membership). Under {@code streams} the group's session, heartbeat and standby replicas are
 *       group configurations on the broker ({@code streams.session.timeout.ms}, ...), which the
 *       processor sets at start ({@link StreamsGroupSettings}); the broker must allow the session
 *       ({@code group.streams.min.session.timeout.ms}, 45 s by default).</li>
 * </ul>
 */
public record MembershipSettings(Optional<String> instanceId, Duration sessionTimeout, boolean leaveGroupOnShutdown,
                                 Protocol protocol) {

    /** The consumer group's rebalance protocol ({@code group.protocol} of Kafka Streams). */
    public enum Protocol {
        CLASSIC, STREAMS;

        /** The value of Kafka Streams' {@code group.protocol}. */
        public String configValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Broker default bounds of a consumer session ({@code group.min.session.timeout.ms}, {@code group.max...}). */
    static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(6);
    static final Duration MAX_SESSION_TIMEOUT = Duration.ofMinutes(30);
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public static final MembershipSettings DEFAULTS = new MembershipSettings(Optional.empty(), Duration.ofSeconds(6), false,
            Protocol.CLASSIC);

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("membership", "Consumer group membership (crash recovery)")
            .key("instanceId", "text", "none", "a stable identity per instance (static membership), e.g. ${env:POD_NAME}")
            .key("sessionTimeout", "duration 6s-30m", "6s", "how long the group waits for an instance that stopped heartbeating")
            .key("leaveGroupOnShutdown", "boolean", "false", "whether an instance with an instanceId leaves the group on SIGTERM")
            .key("protocol", "classic|streams", "classic", "the rebalance protocol (streams: KIP-1071, group settings on the broker)");

    public MembershipSettings {
        java.util.Objects.requireNonNull(protocol, "protocol");
        instanceId.ifPresent(MembershipSettings::checkInstanceId);
        checkSessionTimeout(sessionTimeout);
    }

    static MembershipSettings read(ConfigSection section, ConfigVariables variables) {
        Optional<String> id = section.string("instanceId")
                .map(value -> variables.resolve(section.where("instanceId"), value).strip());
        Duration timeout = section.duration("sessionTimeout", DEFAULTS.sessionTimeout());
        boolean leave = section.bool("leaveGroupOnShutdown", DEFAULTS.leaveGroupOnShutdown());
        Protocol protocol = section.string("protocol").map(value -> switch (value.strip()) {
            case "classic" -> Protocol.CLASSIC;
            case "streams" -> Protocol.STREAMS;
            default -> throw section.error("protocol", "'" + (value.length() > 40 ? value.substring(0, 40) + "…" : value)
                    + "' is not a rebalance protocol; use classic or streams");
        }).orElse(DEFAULTS.protocol());
        section.allowOnly(KEYS);
        try {
            id.ifPresent(MembershipSettings::checkInstanceId);
        } catch (IllegalArgumentException e) {
            throw section.error("instanceId", e.getMessage());
        }
        try {
            checkSessionTimeout(timeout);
        } catch (IllegalArgumentException e) {
            throw section.error("sessionTimeout", e.getMessage());
        }
        return new MembershipSettings(id, timeout, leave, protocol);
    }

    /** Static membership under this instance id. */
    public MembershipSettings withInstanceId(String id) {
        return new MembershipSettings(Optional.of(id), sessionTimeout, leaveGroupOnShutdown, protocol);
    }

    public MembershipSettings withSessionTimeout(Duration timeout) {
        return new MembershipSettings(instanceId, timeout, leaveGroupOnShutdown, protocol);
    }

    public MembershipSettings withLeaveGroupOnShutdown(boolean leave) {
        return new MembershipSettings(instanceId, sessionTimeout, leave, protocol);
    }

    public MembershipSettings withProtocol(Protocol newProtocol) {
        return new MembershipSettings(instanceId, sessionTimeout, leaveGroupOnShutdown, newProtocol);
    }

    /** Three heartbeats per session, as the Kafka consumer recommends. */
    public Duration heartbeatInterval() {
        return sessionTimeout.dividedBy(3);
    }

    private static void checkInstanceId(String id) {
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                    + "' is not a valid instance id; use 1 to 200 letters, digits, '.', '_' or '-' (a pod name)");
        }
    }

    private static void checkSessionTimeout(Duration timeout) {
        if (timeout.compareTo(MIN_SESSION_TIMEOUT) < 0 || timeout.compareTo(MAX_SESSION_TIMEOUT) > 0) {
            throw new IllegalArgumentException(timeout.toMillis() + "ms is out of range; allowed are 6s to 30m"
                    + " (the broker's default group.min/max.session.timeout.ms)");
        }
    }
}
