package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.parley.processor.config.ConversationSettings;
import io.parley.processor.topology.TimeIndexKey;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Behaviour 9: idle sessions expire, and punctuators find what is due by range scans of due entries only. */
class SessionExpiryTest {

    private static final String EXPIRY_CHANGELOG = "session-expiry-changelog";
    private static final ConversationSettings SHORT_TTL = new ConversationSettings(Duration.ofSeconds(2), Duration.ofSeconds(8),
            true, Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofMillis(500), Duration.ofMinutes(10), ConversationSettings.DEFAULTS.directoryRefresh(),
                ConversationSettings.DEFAULTS.sessionCache());

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
    void anExpiredSessionCostsOneTombstoneInTheExpiryIndexsChangelog() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.conversation(SHORT_TTL), "flows/demo-shop.yaml")) {
            driver.say("tell me a joke");
            assertThat(driver.internalRecords(EXPIRY_CHANGELOG)).singleElement().satisfies(put -> assertThat(put.value()).isNotNull());

            driver.advance(Duration.ofMinutes(5));

            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNull();
            assertThat(driver.internalRecords(EXPIRY_CHANGELOG)).singleElement().satisfies(delete -> assertThat(delete.value()).isNull());
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
    void anActiveSessionKeepsOneExpiryEntryThatIsNotMovedOnEveryTurnAndStillExpiresOnTime() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.conversation(SHORT_TTL), "flows/demo-shop.yaml")) {
            driver.say("tell me a joke");
            Instant firstDue = driver.now().plus(Duration.ofMinutes(5));
            driver.advance(Duration.ofMinutes(2));
            driver.say("tell me another one");
            driver.advance(Duration.ofMinutes(2));
            driver.say("tell me another one");
            assertThat(expiryEntries(driver)).containsExactly(firstDue.toEpochMilli());
            Instant lastMessage = driver.now();

            // The entry comes due at minute 5: the session, active at minute 4, is indexed again, not removed.
            driver.advance(Duration.ofMinutes(2));
            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNotNull();
            assertThat(expiryEntries(driver)).containsExactly(lastMessage.plus(Duration.ofMinutes(5)).toEpochMilli());

            driver.advance(Duration.ofMinutes(3));

            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNull();
            assertThat(expiryEntries(driver)).isEmpty();
            assertThat(driver.counter("parley.sessions.expired")).isEqualTo(1);
        }
    }

    @Test
    void aSessionWaitingForABackendDoesNotExpireBeforeItsTurnsDeadlineAndItsUserGetsTheFallback() {
        // Given a time to live (5 s) shorter than the turn's deadline (8 s), as a flow's own deadline can make it
        ConversationSettings ttlBelowDeadline = new ConversationSettings(Duration.ofSeconds(2), Duration.ofSeconds(8), true,
                Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMillis(500), Duration.ofMinutes(10),
                ConversationSettings.DEFAULTS.directoryRefresh(),
                ConversationSettings.DEFAULTS.sessionCache());
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.conversation(ttlBelowDeadline), "flows/demo-shop.yaml")) {
            ChatEvent question = driver.say("where is my order 1001");
            driver.request();
            driver.auditAsWritten();

            // When its time to live has passed while the backend has not answered
            driver.advance(Duration.ofSeconds(2));
            driver.advance(Duration.ofSeconds(4));

            // Then the user is still waited on: the session is kept
            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNotNull();
            assertThat(driver.counter("parley.sessions.expired")).isZero();

            // When the turn's deadline passes
            driver.advance(Duration.ofSeconds(3));

            // Then the user gets the fallback, the turn is audited whole, and only then the idle session goes
            assertThat(driver.replies()).extracting(ChatReply::getKind).containsExactly(ReplyKind.INTERIM, ReplyKind.FALLBACK);
            assertThat(driver.auditAsWritten()).singleElement().satisfies(turn -> {
                assertThat(turn.getKind()).isEqualTo(AuditKind.TURN);
                assertThat(turn.getEventId()).isEqualTo(question.getEventId());
                assertThat(AuditSteps.of(turn)).extracting(AuditEvent::getKind)
                        .containsExactly(AuditKind.INBOUND, AuditKind.INTENT, AuditKind.BACKEND_REQUEST, AuditKind.INTERIM,
                                AuditKind.TIMEOUT, AuditKind.REPLY);
            });
            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNull();
            assertThat(driver.counter("parley.sessions.expired")).isEqualTo(1);
        }
    }

    private static List<Long> expiryEntries(ProcessorDriver driver) {
        List<Long> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, String> all = driver.<Bytes, String>store("session-expiry").all()) {
            all.forEachRemaining(entry -> due.add(TimeIndexKey.fromBytes(entry.key).dueMillis()));
        }
        return due;
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
