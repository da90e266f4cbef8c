package io.parley.worker.jdbc;

import io.parley.runtime.DaemonThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a JDBC connector's inbox rows older than its retention, on a thread of its own so that
 * no call waits for it: started by an update when the last purge is older than the interval (the
 * first update after a start purges), in batches of {@value #BATCH} rows, each its own short
 * transaction, with one pooled connection taken only when one is free.
 */
final class InboxPurge implements AutoCloseable {

    static final int BATCH = 500;
    /** A burst of old rows is worked off over several runs rather than in one long one. */
    static final int MAX_BATCHES_PER_RUN = 20;
    private static final Duration INTERVAL = Duration.ofMinutes(10);
    private static final Duration CONNECTION_WAIT = Duration.ofMillis(500);
    /** One batch's statement; also bounds how long closing the connector waits for a running purge. */
    private static final int BATCH_TIMEOUT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(InboxPurge.class);

    private final String connector;
    private final Inbox inbox;
    private final JdbcPool pool;
    private final Clock clock;
    private final Duration retention;
    private final ExecutorService thread;
    private final AtomicBoolean running = new AtomicBoolean();
    /** A purge came due while one was running. */
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile Instant nextRun = Instant.MIN;

    InboxPurge(String connector, Inbox inbox, JdbcPool pool, Clock clock, Duration retention) {
        this.connector = connector;
        this.inbox = inbox;
        this.pool = pool;
        this.clock = clock;
        this.retention = retention;
        this.thread = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1),
                DaemonThreads.named("parley-inbox-purge-" + connector), new ThreadPoolExecutor.DiscardPolicy());
    }

    /**
     * Starts a purge in the background when one is due; returns at once. When one is due while another
     * runs, it starts as soon as that one ends, so a due purge is never skipped.
     */
    void startIfDue() {
        if (clock.instant().isBefore(nextRun)) {
            return;
        }
        // Set before the attempt to run, and read by the running purge after it cleared running: either this
        // call starts the purge, or the purge that is ending sees the request and starts it.
        requested.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        requested.set(false);
        nextRun = clock.instant().plus(INTERVAL);
        try {
            thread.execute(this::run);
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
    }

    private void run() {
        int deleted = 0;
        try (Connection connection = pool.connection(CONNECTION_WAIT)) {
            connection.setAutoCommit(true);
            Instant before = clock.instant().minus(retention);
            boolean more = true;
            for (int batch = 0; batch < MAX_BATCHES_PER_RUN && more && !Thread.currentThread().isInterrupted(); batch++) {
                int gone = inbox.purgeBatch(connection, before, BATCH, BATCH_TIMEOUT_SECONDS);
                deleted += gone;
                more = gone == BATCH;
            }
            if (more) {
                // Rows are written faster than one run deletes: the next update starts another run.
                nextRun = Instant.MIN;
            }
            if (deleted > 0) {
                LOG.info("Connector {}: deleted {} inbox rows older than {}", connector, deleted, retention);
            }
        } catch (SQLException e) {
            // Tried again at the next interval; the message is left out (drivers put values in it).
            LOG.warn("Connector {}: purging old inbox rows failed (SQLState {}); trying again later", connector, e.getSQLState());
        } finally {
            running.set(false);
            if (requested.get() && !thread.isShutdown()) {
                startIfDue();
            }
        }
    }

    /** Stops purging; a batch under way ends (or times out) before the pool closes under it. */
    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(BATCH_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
    }
}
