package io.parley.worker.connector;

import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * Decides whether a failed backend call is worth another attempt, by walking the exception's cause
 * chain: timeouts and broken connections are retriable, certificate problems, authentication
 * failures and bad statements are permanent. Messages name the kind of failure only; exception
 * messages are left out because drivers put connection strings and values in them.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static Failure classify(Throwable failure) {
        // The most telling cause wins, wherever it is in the chain: the JDK HTTP client wraps what
        // went wrong (an answer over the size cap, say) in a plain IOException of its own.
        Failure specific = firstInChain(failure, FailureClassifier::classifyOne);
        if (specific != null) {
            return specific;
        }
        Failure connection = firstInChain(failure, cause -> cause instanceof IOException
                ? Failure.retriable(BackendStatus.SERVER_ERROR, "connection failed (" + cause.getClass().getSimpleName() + ")")
                : null);
        return connection != null
                ? connection
                : Failure.permanent(BackendStatus.SERVER_ERROR, "call failed (" + failure.getClass().getSimpleName() + ")");
    }

    private static Failure firstInChain(Throwable failure, Function<Throwable, Failure> classifier) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            Failure known = classifier.apply(cause);
            if (known != null) {
                return known;
            }
        }
        return null;
    }

    private static Failure classifyOne(Throwable cause) {
        if (cause instanceof ResponseTooLargeException) {
            return Failure.permanent(BackendStatus.REJECTED, cause.getMessage());
        }
        if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException
                || cause instanceof TimeoutException || cause instanceof SQLTimeoutException) {
            return Failure.retriable(BackendStatus.TIMEOUT, "the backend did not answer in time");
        }
        if (cause instanceof SQLException sql) {
            return classifySql(sql);
        }
        if (cause instanceof SSLException) {
            // A certificate that does not verify will not verify on the next attempt either.
            return Failure.permanent(BackendStatus.SERVER_ERROR, "TLS failure (" + cause.getClass().getSimpleName() + ")");
        }
        if (cause instanceof UnknownHostException) {
            return Failure.retriable(BackendStatus.SERVER_ERROR, "the backend host name did not resolve");
        }
        return null;
    }

    /** SQLState classes as the SQL standard and PostgreSQL define them. */
    private static Failure classifySql(SQLException sql) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        String kind = "database error (SQLState " + (state.isEmpty() ? "unknown" : state) + ")";
        if (state.startsWith("28")) {
            return Failure.permanent(BackendStatus.UNAUTHORIZED, "the database refused the credentials");
        }
        if (state.equals("57014")) {
            return Failure.retriable(BackendStatus.TIMEOUT, "the database did not answer in time");
        }
        if (state.startsWith("08") || state.equals("40001") || state.equals("40P01") || state.startsWith("53")
                || state.equals("57P01") || sql instanceof SQLTransientException || sql instanceof SQLRecoverableException) {
            return Failure.retriable(BackendStatus.SERVER_ERROR, kind);
        }
        if (sql instanceof SQLNonTransientConnectionException) {
            return Failure.permanent(BackendStatus.SERVER_ERROR, kind);
        }
        if (state.startsWith("22") || state.startsWith("23")) {
            // Data exceptions and integrity violations come from the values the request carried.
            return Failure.permanent(BackendStatus.CLIENT_ERROR, kind);
        }
        return Failure.permanent(BackendStatus.SERVER_ERROR, kind);
    }
}
