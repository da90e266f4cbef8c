package io.parley.processor.ops;

/**
 * Thrown by a processing step to refuse its input record on purpose (a key that is not what the
 * topic promises, an oversized field, an event from a user who does not own the conversation...).
 *
 * <p>It takes the same road as any processing failure, so there is one dead-letter mechanism:
 * {@link SkippingProcessingHandler} sends the original bytes to the dead-letter topic with the
 * exception's message in the {@code __streams.errors.message} header, logs a WARN with topic,
 * partition and offset, and counts the record under {@link #reason()} in
 * {@code parley.skipped.records}. The stream goes on. Records the step forwarded before throwing
 * (an audit record, a reply telling the channel why) are kept, so throw only after the store is
 * untouched.
 *
 * <p>The message must never carry message text, secrets or other personal data: say what is wrong
 * (which field, which limit), not what the value was.
 */
public final class RefusedRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason a short, fixed, lower-case description used as the metric tag (e.g. {@code "key-not-conversation-id"})
     * @param detail what is wrong, for the dead-letter header and the log (no record content)
     */
    public RefusedRecordException(String reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** The metric tag: a short, fixed description. */
    public String reason() {
        return reason;
    }
}
