package io.parley.processor.flow;

import java.io.Writer;

/** Collects what a template renders, up to a number of characters; one more is a {@link FullException}. */
final class BoundedWriter extends Writer {

    private final StringBuilder text = new StringBuilder();
    private final int maxChars;

    BoundedWriter(int maxChars) {
        this.maxChars = maxChars;
    }

    @Override
    public void write(char[] buffer, int offset, int length) {
        if (text.length() + length > maxChars) {
            throw new FullException();
        }
        text.append(buffer, offset, length);
    }

    @Override
    public void write(String value, int offset, int length) {
        if (text.length() + length > maxChars) {
            throw new FullException();
        }
        text.append(value, offset, offset + length);
    }

    @Override
    public void flush() {
        // nothing buffered elsewhere
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** Whether the failure, or one of its causes (the template engine may wrap it), is the limit. */
    static boolean isFull(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FullException) {
                return true;
            }
        }
        return false;
    }

    /** Thrown when the template rendered more than allowed; carries no text. */
    static final class FullException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        FullException() {
            super("template output limit reached", null, false, false);
        }
    }
}
