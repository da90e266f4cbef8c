package io.parley.worker.connector;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** One operation of a connector, ready to call. */
public interface Operation {

    String name();

    /** How long an OK result may be served from the cache; present only for read-only operations. */
    Optional<Duration> cacheTtl();

    /**
     * Builds the call for one request from its parameters, before anything is sent.
     *
     * @param requestId the request's id, the idempotency key of the call
     * @throws InvalidRequestException when the parameters do not fit the operation
     */
    PreparedCall prepare(Map<String, String> params, String requestId) throws InvalidRequestException;

    /** A call built for one request; each attempt sends it again. */
    @FunctionalInterface
    interface PreparedCall {

        /**
         * Makes one attempt. Failures are reported as {@link AttemptOutcome.Failure}s; exceptions
         * thrown are classified by {@link FailureClassifier}.
         */
        AttemptOutcome attempt(AttemptContext context) throws InterruptedException;
    }
}
