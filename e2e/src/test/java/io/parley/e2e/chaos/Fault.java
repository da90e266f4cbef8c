package io.parley.e2e.chaos;

import java.time.Duration;

/** One thing that goes wrong during a chaos run, once the load has got to a point. */
public sealed interface Fault {

    /** The processor's JVM gets SIGKILL and a new one starts on its state folder. */
    record KillProcessor() implements Fault {
    }

    /**
     * The first processor's JVM freezes (SIGSTOP) for {@code length}, past its session timeout, runs
     * again for {@code zombie} (SIGCONT), then gets SIGKILL and a new one starts (see {@link Fleet}).
     */
    record PauseThenKillProcessor(Duration length, Duration zombie) implements Fault {
    }

    /** A worker's JVM gets SIGKILL and a new one takes its place. */
    record KillWorker(int index) implements Fault {
    }

    /** The broker stops (its data and ports kept) and starts again after {@code down}. */
    record RestartBroker(Duration down) implements Fault {
    }

    /** The shop API answers every call 503 with Retry-After for {@code length}. */
    record Storm(Duration length) implements Fault {
    }

    /** The shop API answers every call {@code delay} late for {@code length}. */
    record SlowBackend(Duration delay, Duration length) implements Fault {
    }

    /** Malformed records, {@code count} on each input topic, that must end in a dead-letter topic. */
    record Poison(int count) implements Fault {
    }

    /**
     * A fault due once {@code atFraction} of the conversations have finished.
     */
    record Planned(double atFraction, Fault fault) {
    }
}
