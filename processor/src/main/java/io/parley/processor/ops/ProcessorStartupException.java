package io.parley.processor.ops;

/** The processor cannot start; the message says why and what to do. */
public final class ProcessorStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProcessorStartupException(String message) {
        super(message);
    }

    public ProcessorStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
