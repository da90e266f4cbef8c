package io.parley.processor.telemetry;

/** The names of the trigger rules' stores (they name changelog topics too; a test pins them). */
public final class TelemetryStoreNames {

    /** Device id → {@link DeviceState}: every rule's memory for the device. Keyed like {@code iot.telemetry}. */
    public static final String RULE_STATE = "telemetry-rules";
    /** Ordered index: big-endian due millis + reference ({@code wake/<device>}, {@code absent/<rule>/<device>}) → device id. */
    public static final String DEADLINES = "telemetry-deadlines";
    /** Device id → Device: the global copy of {@code iot.devices} (owner, name, location, thresholds). */
    public static final String DEVICES = "devices";

    /** Alert id → AlertCalls: a fired rule's alert waiting for its backend calls' answers. */
    public static final String ALERT_CALLS = "alert-calls";
    /** Ordered index: big-endian due millis + alert id → alert id (the alert's deadline, then how long it is remembered). */
    public static final String ALERT_CALL_DEADLINES = "alert-call-deadlines";
    /** The repartition topic (by alert id) that brings an alert and the answers of its calls to one task. */
    public static final String ALERT_CALLS_REPARTITION = "alert-calls";

    private TelemetryStoreNames() {
    }
}
