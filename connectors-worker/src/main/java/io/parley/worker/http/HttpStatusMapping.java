package io.parley.worker.http;

import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import java.time.Duration;
import java.util.Optional;

/**
 * What an unsuccessful HTTP status means for the caller: whether it is the caller's fault
 * (not retried), the backend's (retried), or a request to slow down (retried after
 * {@code Retry-After}).
 */
public final class HttpStatusMapping {

    private HttpStatusMapping() {
    }

    public static Failure failure(int status, Optional<Duration> retryAfter) {
        String message = "the backend answered HTTP " + status;
        if (status == 404 || status == 410) {
            return Failure.permanent(BackendStatus.NOT_FOUND, message);
        }
        if (status == 401 || status == 403) {
            return Failure.permanent(BackendStatus.UNAUTHORIZED, message);
        }
        if (status == 408) {
            return Failure.retriable(BackendStatus.TIMEOUT, message);
        }
        if (status == 429) {
            return Failure.retriable(BackendStatus.RATE_LIMITED, message).withRetryAfter(retryAfter);
        }
        if (status >= 400 && status <= 499) {
            return Failure.permanent(BackendStatus.CLIENT_ERROR, message);
        }
        if (status == 501 || status == 505) {
            // Not implemented / version not supported: asking again will not change the answer.
            return Failure.permanent(BackendStatus.SERVER_ERROR, message);
        }
        if (status >= 500 && status <= 599) {
            return Failure.retriable(BackendStatus.SERVER_ERROR, message).withRetryAfter(retryAfter);
        }
        return Failure.permanent(BackendStatus.SERVER_ERROR, "the backend answered an unexpected HTTP " + status);
    }
}
