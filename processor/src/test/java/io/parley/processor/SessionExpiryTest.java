package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.parley.processor.config.ConversationSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Behaviour 9: idle sessions expire, and punctuators find what is due by range scans of due entries only. */
class SessionExpiryTest {

    private static final ConversationSettings SHORT_TTL = new ConversationSettings(Duration.ofSeconds(2), Duration.ofSeconds(8),
            true, Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofMillis(500), Duration.ofMinutes(10), ConversationSettings.DEFAULTS.directoryRefresh());

    @Test
    void idleSessionIsRemovedAfterItsTimeToLive() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.conversation(SHORT_TTL), "flows/demo-shop.yaml")) {
            driver.say("tell me a joke");
            driver.advance(Duration.ofMinutes(4));
            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNotNull();

            driver.advance(Duration.ofMinutes(1));

            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNull();
            assertThat(driver.counter("parley.sessions.expired")).isEqualTo(1);
        }
    }

    @Test
    void activityPostponesExpiry() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.conversation(SHORT_TTL), "flows/demo-shop.yaml")) {
            driver.say("tell me a joke");
            driver.advance(Duration.ofMinutes(4));
            driver.say("tell me another one");

            driver.advance(Duration.ofMinutes(4));

            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNotNull();
        }
    }

    @Test
    void punctuatorReadsOnlyTheDueEntriesAmongTenThousandIdleSessions() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            for (int i = 0; i < 10_000; i++) {
                driver.say("idle-" + i, "user-" + i, "tell me a joke");
            }
            driver.say("where is my order 1001");
            driver.advance(Duration.ofSeconds(2));
            double deadlinesReadBefore = driver.counter("parley.index.entries.read", "index", "deadlines");
            double expiriesReadBefore = driver.counter("parley.index.entries.read", "index", "session-expiry");
            driver.replies();

            driver.advance(Duration.ofSeconds(6));

            assertThat(driver.counter("parley.index.entries.read", "index", "deadlines") - deadlinesReadBefore).isEqualTo(1);
            assertThat(driver.counter("parley.index.entries.read", "index", "session-expiry") - expiriesReadBefore).isZero();
            assertThat(driver.replies()).singleElement().satisfies(reply ->
                    assertThat(reply.getConversationId()).isEqualTo(ProcessorDriver.CONVERSATION));
            assertThat(driver.sessions().approximateNumEntries()).isGreaterThanOrEqualTo(10_001);
        }
    }

    @Test
    void everyPunctuatorRunIsTimed() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("where is my order 1001");
            Timer punctuation = driver.registry().get("parley.punctuation").timer();
            long runsBefore = punctuation.count();

            for (int i = 0; i < 4; i++) {
                driver.advance(Duration.ofMillis(500));
            }

            assertThat(punctuation.count() - runsBefore).isEqualTo(4);
            assertThat(punctuation.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(punctuation.max(TimeUnit.NANOSECONDS)).isPositive();
        }
    }
}
