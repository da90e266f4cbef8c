package io.parley.registry.embedded;

/** An answer other than success: the HTTP status and the registry's {@code error_code} and message. */
final class RegistryError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final int INVALID_VERSION = 42202;
    static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;

    private final int status;
    private final int errorCode;

    RegistryError(int status, int errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }
}
