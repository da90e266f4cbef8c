package io.parley.worker.connector;

import io.parley.worker.connector.AttemptOutcome.Failure;

/** Ends an attempt early with a known failure (e.g. the OAuth2 token endpoint refused the client). */
public final class AttemptFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Failure failure;

    public AttemptFailedException(Failure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
