package io.parley.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the broker watch logs about an outage: once when it starts, a reminder a minute, once when it ends. */
class OutageLogTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final BrokerWatch.OutageLog log = new BrokerWatch.OutageLog(Duration.ofMinutes(1), clock, "kafka:9092");

    @Test
    void anOutageIsLoggedOnceARemindedEveryMinuteAndItsEndOnce() {
        assertThat(log.observe(true, null)).as("all is well").isEmpty();

        assertThat(log.observe(false, "TimeoutException")).hasValueSatisfying(line ->
                assertThat(line).isEqualTo("Kafka (kafka:9092) is unreachable (TimeoutException); the worker stops taking requests"
                        + " and reports not ready until it is back"));
        int logged = 0;
        for (int second = 1; second <= 150; second++) {
            clock.advance(Duration.ofSeconds(1));
            Optional<String> line = log.observe(false, "TimeoutException");
            if (line.isPresent()) {
                logged++;
                assertThat(line.get()).startsWith("Kafka (kafka:9092) is still unreachable after " + second + " s");
            }
        }
        assertThat(logged).as("reminders in 150 s").isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        assertThat(log.observe(true, null)).hasValue(
                "Kafka (kafka:9092) is reachable again after 151 s; consuming backend requests again");
        assertThat(log.observe(true, null)).isEmpty();
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
