package io.parley.worker.connector;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * What connectors are built with besides their definition.
 *
 * @param timing clock, waits and jitter
 * @param meters where connector metrics go
 * @param maxResponseBytes the largest backend answer accepted, unless a connector sets its own
 */
public record ConnectorEnvironment(Timing timing, MeterRegistry meters, long maxResponseBytes) {

    public static final long DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

    public ConnectorEnvironment {
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(meters, "meters");
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 1");
        }
    }

    /** The largest answer accepted by a connector: its own setting, else the worker's. */
    public long maxResponseBytes(ConnectorSettings settings) {
        return settings.maxResponseBytes().orElse(maxResponseBytes);
    }
}
