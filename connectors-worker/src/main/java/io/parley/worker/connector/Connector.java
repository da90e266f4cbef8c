package io.parley.worker.connector;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import java.util.Set;

/**
 * A configured backend: answers {@link BackendRequest}s for its operations. Usable without Kafka
 * (the worker, local mode and the benchmark's synchronous baseline all call it the same way).
 * Thread-safe: many calls may run at once, within the connector's limits.
 */
public interface Connector extends AutoCloseable {

    String name();

    ConnectorType type();

    Set<String> operations();

    /**
     * Makes the call the request names and tells how it went. Never throws for a failed call:
     * every failure is a response status (an unknown operation is {@code REJECTED}). If the calling
     * thread is interrupted the answer is {@code TIMEOUT} and the interrupt flag is set again.
     */
    BackendResponse call(BackendRequest request);

    /** Releases connections and pools. */
    @Override
    void close();
}
