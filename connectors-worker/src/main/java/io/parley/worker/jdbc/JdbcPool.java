package io.parley.worker.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.pool.HikariPool;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptContext;
import io.parley.worker.connector.AttemptFailedException;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.FailureClassifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * A JDBC connector's HikariCP pool, lent per attempt: the wait for a free connection is bounded by
 * the attempt's timeout (the smaller of the connector timeout and the time left to the request's
 * deadline), not by a pool-wide setting, so a call never waits for a connection past its deadline.
 */
final class JdbcPool implements AutoCloseable {

    private final String connector;
    private final int size;
    private final HikariPool pool;

    JdbcPool(String connector, HikariConfig config) {
        this.connector = connector;
        this.size = config.getMaximumPoolSize();
        config.validate();
        this.pool = new HikariPool(config);
    }

    /**
     * A connection for one attempt.
     *
     * @throws AttemptFailedException {@code TIMEOUT} when no connection was free within the attempt's
     *         time; when the database could not be reached, what that failure was
     */
    Connection connection(AttemptContext context) throws AttemptFailedException, SQLException {
        try {
            return pool.getConnection(Math.max(1, context.timeout().toMillis()));
        } catch (SQLTransientConnectionException e) {
            if (e.getCause() != null) {
                // The pool could not open a connection: the database's own failure says more.
                throw new AttemptFailedException(FailureClassifier.classify(e.getCause()));
            }
            throw new AttemptFailedException(Failure.retriable(BackendStatus.TIMEOUT,
                    "no connection of connector " + connector + " (pool of " + size + ") was free within "
                            + context.timeout().toMillis() + " ms"));
        }
    }

    /** A connection for background work (the inbox purge), waiting at most {@code wait}. */
    Connection connection(java.time.Duration wait) throws SQLException {
        return pool.getConnection(Math.max(1, wait.toMillis()));
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
    }
}
