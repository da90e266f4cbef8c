package io.parley.serde.registry;

import org.apache.kafka.common.KafkaException;

/**
 * A Schema Registry call failed. Carries the HTTP status and the registry's error code when
 * the registry answered (both 0 when it could not be reached). Messages never hold credentials.
 */
public class SchemaRegistryException extends KafkaException {

    private static final long serialVersionUID = 1L;

    /** Registry error code for "subject not found". */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Registry error code for "schema not found". */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Registry error code for "version not found". */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Registry error code for "subject soft-deleted" (a soft delete of a soft-deleted subject). */
    public static final int SUBJECT_SOFT_DELETED = 40404;
    /** Registry error code for a permanent delete of a subject that was not soft-deleted first. */
    public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
    /** Registry error code for "version soft-deleted" (a soft delete of a soft-deleted version). */
    public static final int VERSION_SOFT_DELETED = 40406;
    /** Registry error code for a permanent delete of a version that was not soft-deleted first. */
    public static final int VERSION_NOT_SOFT_DELETED = 40407;
    /** Registry error code (and HTTP status) for an incompatible schema. */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Registry error code for an invalid schema. */
    public static final int INVALID_SCHEMA = 42201;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = 0;
        this.errorCode = 0;
    }

    /** The HTTP status of the registry's answer, or 0 when it did not answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's error code ({@code error_code} in its JSON body), or 0. */
    public int errorCode() {
        return errorCode;
    }

    /** Whether the registry said that the subject, version or schema does not exist. */
    public boolean isNotFound() {
        return httpStatus == 404;
    }
}
