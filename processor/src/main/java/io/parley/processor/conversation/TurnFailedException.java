package io.parley.processor.conversation;

/**
 * A turn cannot go on for a reason inside Parley's hands (a result that is not JSON, an intent
 * that no longer exists after a flow change). The user gets the error reply; the stream goes on.
 * Messages name flow parts only, never user data.
 */
public final class TurnFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TurnFailedException(String message) {
        super(message);
    }
}
