package io.parley.worker.connector;

import java.io.IOException;

/** A backend answer larger than the connector accepts; answered REJECTED, never retried. */
public final class ResponseTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    public ResponseTooLargeException(long limit) {
        super("the response is larger than " + limit + " bytes");
    }
}
