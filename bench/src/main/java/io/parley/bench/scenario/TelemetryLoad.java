package io.parley.bench.scenario;

/**
 * The load of S8: how many devices (each evaluated by the 10 rules of {@link TelemetryScenario}), how many
 * measurements the throughput phase sends, how many alerts the latency phase provokes, and the processor's
 * stream threads.
 *
 * @param devices devices in the device table, measured round-robin
 * @param events measurements of the throughput phase, per processing guarantee (and of the drain phase)
 * @param probes alerts provoked one at a time for the latency figures
 * @param streamThreads the processor's stream threads; 0: one per core (at most one per partition), as an operator
 *     would run it
 */
public record TelemetryLoad(int devices, int events, int probes, int streamThreads) {

    public TelemetryLoad {
        if (devices < 1 || events < devices || probes < 1 || streamThreads < 0) {
            throw new IllegalArgumentException(
                    "S8 needs at least one device, as many events as devices, one probe and no negative stream threads");
        }
    }

    /** One stream thread per core. */
    public TelemetryLoad(int devices, int events, int probes) {
        this(devices, events, probes, 0);
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
