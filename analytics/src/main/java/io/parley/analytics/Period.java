package io.parley.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The buckets statistics are kept in: hours and days, in UTC. */
public enum Period {
    HOUR(Duration.ofHours(1), ChronoUnit.HOURS),
    DAY(Duration.ofDays(1), ChronoUnit.DAYS);

    private final Duration size;
    private final ChronoUnit unit;

    Period(Duration size, ChronoUnit unit) {
        this.size = size;
        this.unit = unit;
    }

    public Duration size() {
        return size;
    }

    /** The start of the bucket holding {@code at}. */
    public Instant bucketStart(Instant at) {
        return at.truncatedTo(unit);
    }

    /** How it is written in records and keys: {@code hour}, {@code day}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Period fromLabel(String label) {
        return valueOf(label.toUpperCase(java.util.Locale.ROOT));
    }
}
