package io.parley.worker.connector;

import java.time.Duration;
import java.time.Instant;

/**
 * What one attempt may use: its number, its timeout (the smaller of the connector's timeout and
 * the time left to the deadline) and a count of the calls it actually sent to the backend.
 */
public final class AttemptContext {

    private final int number;
    private final Duration timeout;
    private final Instant deadline;
    private int calls;

    public AttemptContext(int number, Duration timeout, Instant deadline) {
        this.number = number;
        this.timeout = timeout;
        this.deadline = deadline;
    }

    /** 1 for the first attempt. */
    public int number() {
        return number;
    }

    public Duration timeout() {
        return timeout;
    }

    public Instant deadline() {
        return deadline;
    }

    /** Called just before a request goes to the backend, so {@code attempts} counts real calls. */
    public void countCall() {
        calls++;
    }

    public int calls() {
        return calls;
    }
}
