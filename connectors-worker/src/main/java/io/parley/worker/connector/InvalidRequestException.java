package io.parley.worker.connector;

/**
 * A request that cannot be turned into a backend call (a parameter is missing or has the wrong
 * form). It is answered {@code REJECTED} without calling the backend; the message is safe to
 * put in the response: it names parameters, never their values.
 */
public final class InvalidRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
