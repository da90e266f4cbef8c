package io.parley.bench.scenario;

/**
 * The load of S8: how many devices (each evaluated by the 10 rules of {@link TelemetryScenario}), how many
 * measurements the throughput phase sends, and how many alerts the latency phase provokes.
 *
 * @param devices devices in the device table, measured round-robin
 * @param events measurements of the throughput phase, per processing guarantee
 * @param probes alerts provoked one at a time for the latency figures
 */
public record TelemetryLoad(int devices, int events, int probes) {

    public TelemetryLoad {
        if (devices < 1 || events < devices || probes < 1) {
            throw new IllegalArgumentException("S8 needs at least one device, as many events as devices, and one probe");
        }
    }

    /** The figures of the brief: 100,000 devices, 2,000,000 measurements (20 per device), 500 alerts. */
    public static TelemetryLoad full() {
        return new TelemetryLoad(100_000, 2_000_000, 500);
    }

    /** A smoke run; its figures are not for comparison. */
    public static TelemetryLoad quick() {
        return new TelemetryLoad(2_000, 40_000, 50);
    }
}
