package io.parley.processor.conversation;

/**
 * How large what a turn keeps and writes may grow (from the {@code limits:} section): the session
 * keeps results only up to {@code maxResultBytes} each and stays within {@code maxSessionBytes};
 * a request's parameters stay within {@code maxRequestBytes}; replies are cut at {@code maxReplyChars}.
 *
 * @param maxResultBytes the largest result of one call a session keeps (UTF-8 JSON, fields the flow reads)
 * @param maxSessionBytes the largest session (Avro binary)
 * @param maxRequestBytes the largest parameters of one backend request (UTF-8, names and values)
 * @param maxReplyChars the longest reply text
 */
public record RecordBounds(int maxResultBytes, int maxSessionBytes, int maxRequestBytes, int maxReplyChars) {

    /** The status a call's failure is recorded with when its result is larger than {@code maxResultBytes}. */
    public static final String RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE";

    public static RecordBounds defaults() {
        return new RecordBounds(64 << 10, 512 << 10, 64 << 10, 4_000);
    }
}
