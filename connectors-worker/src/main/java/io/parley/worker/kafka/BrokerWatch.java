package io.parley.worker.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the worker can reach Kafka, asked of the cluster every {@code probeInterval} by a
 * small admin request. While the brokers are unreachable the consumer loops stop polling (a share
 * consumer polling an absent broker spins: tens of thousands of log lines and a busy CPU in
 * seconds), {@code /health/ready} says not ready, and the outage is logged once when it starts,
 * reminded at most every {@code reminderInterval}, and once more when it ends.
 *
 * <p>An outage begins only when {@value #FAILED_PROBES_FOR_OUTAGE} probes in a row went unanswered:
 * one slow answer from a busy broker (a long GC pause, a loaded controller) must not stop consumption
 * or flap the readiness. It ends at the first probe answered.
 */
public final class BrokerWatch implements Reachability, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);
    private static final long PROBE_TIMEOUT_MS = 500;
    static final int FAILED_PROBES_FOR_OUTAGE = 3;

    private final Supplier<Admin> admins;
    private final Duration probeInterval;
    private final Duration reminderInterval;
    private Admin admin;
    private long adminSince;
    private final OutageLog outageLog;
    private final FailedProbes failedProbes = new FailedProbes(FAILED_PROBES_FOR_OUTAGE);
    private final Thread thread;
    private final Object changed = new Object();
    private volatile boolean reachable = true;
    private volatile boolean running = true;

    /**
     * @param admins makes the admin client that probes; a new one is made when an outage has lasted a
     *     {@code reminderInterval}, so that brokers that came back at new addresses are found from
     *     {@code bootstrap.servers} again
     */
    BrokerWatch(Supplier<Admin> admins, Duration probeInterval, Duration reminderInterval, Clock clock, String servers) {
        this.admins = admins;
        this.admin = admins.get();
        this.adminSince = System.nanoTime();
        this.reminderInterval = reminderInterval;
        this.probeInterval = probeInterval;
        this.outageLog = new OutageLog(reminderInterval, clock, servers);
        this.thread = new Thread(this::watch, "parley-worker-broker-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the last probe reached a broker (true until a probe says otherwise). */
    @Override
    public boolean reachable() {
        return reachable;
    }

    @Override
    public boolean awaitReachable(Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        synchronized (changed) {
            while (!reachable && running) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(changed, left);
            }
        }
        return reachable;
    }

    private void watch() {
        while (running) {
            String failure = probe();
            boolean now = failedProbes.reachableAfter(failure == null);
            if (!now && System.nanoTime() - adminSince > reminderInterval.toNanos()) {
                admin.close(Duration.ZERO);
                admin = admins.get();
                adminSince = System.nanoTime();
            }
            outageLog.observe(now, failure).ifPresent(line -> LOG.warn("{}", line));
            if (now != reachable) {
                synchronized (changed) {
                    reachable = now;
                    changed.notifyAll();
                }
            }
            try {
                Thread.sleep(probeInterval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Null when a broker answered, else why not. */
    private String probe() {
        long timeoutMs = Math.max(PROBE_TIMEOUT_MS, probeInterval.toMillis() * 2);
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs)).nodes()
                    .get(timeoutMs + 500, TimeUnit.MILLISECONDS);
            return nodes.isEmpty() ? "the cluster reports no brokers" : null;
        } catch (ExecutionException e) {
            return e.getCause().getClass().getSimpleName();
        } catch (TimeoutException e) {
            return "no answer within " + timeoutMs + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return null;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        synchronized (changed) {
            changed.notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }

    /** Reachable until {@code limit} probes in a row have failed; reachable again at the first one answered. */
    static final class FailedProbes {

        private final int limit;
        private int inARow;

        FailedProbes(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("The failed probes before an outage must be at least 1: " + limit);
            }
            this.limit = limit;
        }

        boolean reachableAfter(boolean answered) {
            inARow = answered ? 0 : Math.min(inARow + 1, limit);
            return inARow < limit;
        }
    }

    /**
     * What to log about the brokers' reachability, decided from observations alone: one line when
     * they become unreachable, a reminder at most every {@code reminderInterval} while they stay so,
     * one line when they are back. Nothing while all is well.
     */
    static final class OutageLog {

        private final Duration reminderInterval;
        private final Clock clock;
        private final String servers;
        private Instant downSince;
        private Instant lastLogged;

        OutageLog(Duration reminderInterval, Clock clock, String servers) {
            this.reminderInterval = reminderInterval;
            this.clock = clock;
            this.servers = servers;
        }

        Optional<String> observe(boolean reachable, String failure) {
            Instant now = clock.instant();
            if (reachable) {
                if (downSince == null) {
                    return Optional.empty();
                }
                long seconds = Duration.between(downSince, now).toSeconds();
                downSince = null;
                return Optional.of("Kafka (" + servers + ") is reachable again after " + seconds
                        + " s; consuming backend requests again");
            }
            if (downSince == null) {
                downSince = now;
                lastLogged = now;
                return Optional.of("Kafka (" + servers + ") is unreachable (" + failure + "); the worker stops taking"
                        + " requests and reports not ready until it is back");
            }
            if (!now.isBefore(lastLogged.plus(reminderInterval))) {
                lastLogged = now;
                return Optional.of("Kafka (" + servers + ") is still unreachable after "
                        + Duration.between(downSince, now).toSeconds() + " s (" + failure + ")");
            }
            return Optional.empty();
        }
    }
}
