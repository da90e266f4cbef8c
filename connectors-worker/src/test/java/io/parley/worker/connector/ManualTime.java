package io.parley.worker.connector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock tests move by hand; pauses move it instead of sleeping, and are recorded. */
public final class ManualTime extends Clock {

    private Instant now;
    private final List<Duration> pauses = new ArrayList<>();

    public ManualTime(Instant start) {
        this.now = start;
    }

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    public synchronized List<Duration> pauses() {
        return List.copyOf(pauses);
    }

    /** Timing on this clock with the given jitter. */
    public Timing timing(double jitter) {
        return new Timing(this, duration -> {
            synchronized (this) {
                pauses.add(duration);
                now = now.plus(duration);
            }
        }, () -> jitter);
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}
