package io.parley.processor.audit;

/** How many records a turn writes to the audit stream ({@code audit.mode} in processor.yaml). */
public enum AuditMode {
    /** One TURN record when the turn ends, carrying its steps in order (the default). */
    TURN,
    /** One record per step (INBOUND, INTENT, BACKEND_REQUEST, ...), as before TURN existed. */
    DETAILED
}
