package io.parley.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsDelaySeconds() {
        assertThat(RetryAfter.parse(Optional.of("120"), clock)).contains(Duration.ofSeconds(120));
    }

    @Test
    void readsHttpDatesRelativeToNow() {
        assertThat(RetryAfter.parse(Optional.of("Fri, 20 Nov 2026 10:00:30 GMT"), clock)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse(Optional.of("Fri, 20 Nov 2026 09:00:00 GMT"), clock)).contains(Duration.ZERO);
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertThat(RetryAfter.parse(Optional.of("soon"), clock)).isEmpty();
        assertThat(RetryAfter.parse(Optional.of("-5"), clock)).isEmpty();
        assertThat(RetryAfter.parse(Optional.empty(), clock)).isEmpty();
    }
}
