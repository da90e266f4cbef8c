package io.parley.worker.connector;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.schemas.BackendStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How one attempt at a backend call ended. */
public sealed interface AttemptOutcome permits AttemptOutcome.Success, AttemptOutcome.Failure {

    /** The backend answered and the answer was mapped to {@code result}. */
    record Success(JsonNode result) implements AttemptOutcome {
        public Success {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The attempt failed.
     *
     * @param status what the caller will be told if this is the last attempt
     * @param message a short description without secrets or backend response bodies
     * @param retriable whether another attempt may succeed
     * @param retryAfter how long the backend asked us to wait ({@code Retry-After}), if it did
     */
    record Failure(BackendStatus status, String message, boolean retriable, Optional<Duration> retryAfter)
            implements AttemptOutcome {

        public Failure {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        public static Failure permanent(BackendStatus status, String message) {
            return new Failure(status, message, false, Optional.empty());
        }

        public static Failure retriable(BackendStatus status, String message) {
            return new Failure(status, message, true, Optional.empty());
        }

        public Failure withRetryAfter(Optional<Duration> wait) {
            return new Failure(status, message, retriable, wait);
        }

        /**
         * Whether this failure says the backend is unhealthy (counted by the circuit breaker):
         * server errors, timeouts and broken connections. Client errors, missing records and
         * rejected answers say nothing bad about the backend.
         */
        public boolean backendUnhealthy() {
            return status == BackendStatus.SERVER_ERROR || status == BackendStatus.TIMEOUT;
        }
    }
}
