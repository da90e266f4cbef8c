package io.parley.bench.scenario;

import io.parley.bench.load.LoadSettings;
import io.parley.bench.report.Figures;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The sizes and shared settings of a run. {@link #full()} is what the published figures come
 * from; {@link #quick()} proves the harness in a minute or two and its figures are not to be
 * compared with targets.
 *
 * @param mode "full" or "quick"
 * @param partitions partitions of every scenario topic
 * @param streamThreads stream threads of every Kafka Streams application (S1, S4, the processor)
 * @param messages turns of a maximum-rate phase (S2); S1 sends five times, S3 a fifth of it
 * @param baselineMessages turns of the synchronous baseline (S4), slow by design
 * @param rateDuration length of each fixed-rate phase (S2); its turn count is rate × duration
 * @param sessions live sessions of the scale-of-state scenario (S5)
 * @param dueDeadlines deadlines that come due during S5's punctuator measurement
 * @param warmUpFraction share of each phase's turns left out of its figures
 * @param load the load generator's in-flight bound, stall timeout and latency range
 */
public record BenchSettings(String mode, int partitions, int streamThreads, int messages, int baselineMessages,
                            Duration rateDuration, int sessions, int dueDeadlines, double warmUpFraction,
                            LoadSettings load) {

    private static final LoadSettings DEFAULT_LOAD = new LoadSettings(2_000, Duration.ofSeconds(60), Duration.ofMinutes(10));

    public BenchSettings {
        Objects.requireNonNull(mode, "mode");
        requireAtLeast("partitions", partitions, 1);
        requireAtLeast("stream threads", streamThreads, 1);
        requireAtLeast("messages", messages, 10);
        requireAtLeast("baseline messages", baselineMessages, 10);
        requireAtLeast("sessions", sessions, 1);
        requireAtLeast("due deadlines", dueDeadlines, 1);
        Objects.requireNonNull(rateDuration, "rateDuration");
        if (rateDuration.toMillis() < 1_000) {
            throw new IllegalArgumentException("A fixed-rate phase must last at least 1 s, not " + rateDuration);
        }
        if (!(warmUpFraction >= 0 && warmUpFraction < 0.9)) {
            throw new IllegalArgumentException("The warm-up fraction must be in [0, 0.9), not " + warmUpFraction);
        }
        Objects.requireNonNull(load, "load");
    }

    private static void requireAtLeast(String what, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException("The bench needs " + what + " of at least " + minimum + ", not " + value);
        }
    }

    /** The run the README's figures come from. */
    public static BenchSettings full() {
        return new BenchSettings("full", 4, 1, 100_000, 300, Duration.ofSeconds(30), 100_000, 10, 0.1, DEFAULT_LOAD);
    }

    /** A smoke run: every scenario, small counts. */
    public static BenchSettings quick() {
        return new BenchSettings("quick", 4, 1, 10_000, 40, Duration.ofSeconds(5), 10_000, 10, 0.1, DEFAULT_LOAD);
    }

    /** Turns left out of a phase of {@code turns}. */
    public int warmUpOf(int turns) {
        return (int) Math.floor(turns * warmUpFraction);
    }

    /** Turns of a fixed-rate phase at {@code perSecond}. */
    public int turnsAt(double perSecond) {
        return (int) Math.max(10, Math.round(perSecond * rateDuration.toMillis() / 1000.0));
    }

    /** The settings every scenario shares, for the report. */
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("partitions", partitions);
        description.put("stream.threads", streamThreads);
        description.put("warm-up", Math.round(warmUpFraction * 100) + "% of each phase");
        description.put("load.maxInFlight", load.maxInFlight());
        description.put("load.stallTimeout", Figures.duration(load.stallTimeout()));
        description.put("producer", "client defaults (acks=all, idempotent)");
        description.put("replies read", "read_committed");
        return description;
    }
}
