package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;
import java.time.Duration;
import java.util.Optional;

/** One operation of a connector as read from its file; each kind has its own record. */
public interface OperationDefinition {

    /** The operation key every cacheable kind accepts: how long OK answers are cached. */
    String CACHE_TTL = "cacheTtl";

    /** The name requests use (with its version, {@code getOrder@v2}, when versioned). */
    String name();

    /** How long OK answers are cached; empty when never (the default: a kind that caches says so). */
    default Optional<Duration> cacheTtl() {
        return Optional.empty();
    }

    /**
     * Reads {@code cacheTtl}, refused with {@code refusal} when the operation may not be cached
     * (it writes).
     */
    static Optional<Duration> cacheTtl(ConfigSection operation, boolean cacheable, String refusal) {
        Optional<Duration> cacheTtl = operation.duration(CACHE_TTL);
        if (cacheTtl.isPresent() && !cacheable) {
            throw operation.error(CACHE_TTL, refusal);
        }
        return cacheTtl;
    }
}
