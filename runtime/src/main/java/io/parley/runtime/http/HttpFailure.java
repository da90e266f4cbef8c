package io.parley.runtime.http;

/**
 * Thrown by a route to answer with an error: the {@link Routes} turns it into a response with
 * the status and a body in the server's {@link ErrorFormat}.
 */
public final class HttpFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    /**
     * @param status the HTTP status
     * @param errorCode an application error code for the body (servers that have none pass the status)
     * @param message what went wrong, shown to the caller: never put secrets or personal data here
     */
    public HttpFailure(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }
}
