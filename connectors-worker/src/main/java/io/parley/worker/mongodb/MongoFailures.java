package io.parley.worker.mongodb;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.FailureClassifier;
import java.util.HashSet;
import java.util.Set;

/**
 * Classifies what the MongoDB driver throws: refused credentials are permanent and never retried,
 * timeouts and broken connections are retried, server errors are permanent and named by their
 * code only (the server's messages quote the values that failed).
 */
final class MongoFailures {

    private MongoFailures() {
    }

    static Failure classify(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (cause instanceof MongoSecurityException) {
                return Failure.permanent(BackendStatus.UNAUTHORIZED, "the MongoDB server refused the credentials");
            }
            if (cause instanceof MongoTimeoutException && tlsRefused(cause)) {
                return Failure.permanent(BackendStatus.SERVER_ERROR, "TLS failure (the handshake with the server failed)");
            }
            if (cause instanceof MongoTimeoutException || cause instanceof MongoSocketReadTimeoutException
                    || cause instanceof MongoExecutionTimeoutException) {
                return Failure.retriable(BackendStatus.TIMEOUT, "the backend did not answer in time");
            }
            if (cause instanceof MongoSocketException) {
                return Failure.retriable(BackendStatus.SERVER_ERROR, "connection failed (" + cause.getClass().getSimpleName() + ")");
            }
            if (cause instanceof MongoWriteException write) {
                return Failure.permanent(BackendStatus.SERVER_ERROR, "the MongoDB server refused the write (code "
                        + write.getError().getCode() + ")");
            }
            if (cause instanceof MongoCommandException command) {
                if (command.getErrorCode() == 18 || command.getErrorCode() == 13) {
                    return Failure.permanent(BackendStatus.UNAUTHORIZED, "the MongoDB server refused the credentials");
                }
                return Failure.permanent(BackendStatus.SERVER_ERROR, "the MongoDB server refused the command ("
                        + command.getErrorCodeName() + ")");
            }
            if (cause instanceof MongoServerException server) {
                return Failure.permanent(BackendStatus.SERVER_ERROR, "the MongoDB server failed (code " + server.getCode() + ")");
            }
        }
        return FailureClassifier.classify(failure);
    }

    /**
     * Whether a server-selection timeout hides a refused TLS handshake. The driver's monitor meets
     * the handshake failure, and a call only sees the timeout whose text describes the cluster as
     * the monitor last saw it ("caused by {javax.net.ssl.SSLHandshakeException: ...}"); without this,
     * a wrong CA or host name would look like a slow server and be retried until the deadline.
     */
    private static boolean tlsRefused(Throwable timeout) {
        String description = String.valueOf(timeout.getMessage());
        return description.contains("javax.net.ssl.SSLHandshakeException") || description.contains("javax.net.ssl.SSLPeerUnverifiedException");
    }
}
