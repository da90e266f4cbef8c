package io.parley.processor;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;

/**
 * When the group still holds this instance's id for its previous process, and how long to keep
 * starting again.
 *
 * <p>Under the Streams rebalance protocol (KIP-1071, {@code membership.protocol: streams}) a static
 * member that was killed never left the group, and the coordinator refuses a new member with the
 * same instance id ({@link UnreleasedInstanceIdException}) until the old member's session has
 * expired. The stream thread dies of it. Rather than exit and wait for the orchestrator's restart
 * back-off (10 s and doubling for a Kubernetes pod), {@link ProcessorMain} starts the processor
 * again in the same JVM after a {@link #pause()}, for as long as an old session and a start or two
 * can last: three times {@code membership.sessionTimeout} from the first refusal, and at least
 * {@link #AT_LEAST}. A refusal after that means another live process has the same
 * {@code membership.instanceId}, and the processor exits.
 */
final class HeldInstanceId {

    private static final Duration PAUSE = Duration.ofSeconds(1);
    static final Duration AT_LEAST = Duration.ofSeconds(30);

    private final Duration sessionTimeout;
    private final LongSupplier nanoTime;
    private long firstRefusal;
    private boolean refused;

    HeldInstanceId(Duration sessionTimeout, LongSupplier nanoTime) {
        this.sessionTimeout = sessionTimeout;
        this.nanoTime = nanoTime;
    }

    /** Whether {@code failure} (or one of its causes) is the coordinator's refusal of a held instance id. */
    static boolean isRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnreleasedInstanceIdException) {
                return true;
            }
        }
        return false;
    }

    /** Whether to start again after the processor stopped with {@code failure}: a refusal within {@link #window()} of the first. */
    boolean startAgain(Throwable failure) {
        if (!isRefusal(failure)) {
            return false;
        }
        long now = nanoTime.getAsLong();
        if (!refused) {
            refused = true;
            firstRefusal = now;
        }
        return now - firstRefusal <= window().toNanos();
    }

    /** How long after the first refusal the processor keeps starting again. */
    Duration window() {
        Duration threeSessions = sessionTimeout.multipliedBy(3);
        return threeSessions.compareTo(AT_LEAST) > 0 ? threeSessions : AT_LEAST;
    }

    /** How long to wait before starting again. */
    Duration pause() {
        return PAUSE;
    }
}
