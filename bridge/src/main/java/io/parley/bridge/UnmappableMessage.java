package io.parley.bridge;

/**
 * An MQTT message that cannot become a {@code TelemetryEvent}. The message says why in terms of
 * the configuration (pointer, topic level) and never quotes the payload.
 */
public final class UnmappableMessage extends Exception {

    private static final long serialVersionUID = 1L;

    public UnmappableMessage(String reason) {
        super(reason);
    }
}
