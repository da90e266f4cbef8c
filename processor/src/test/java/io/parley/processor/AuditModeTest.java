package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.audit.AuditMode;
import io.parley.processor.config.AuditSettings;
import io.parley.processor.config.Limits;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.AuditStep;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.state.Session;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * audit.mode: {@code turn} (default) writes one TURN record per turn carrying its steps; {@code detailed}
 * writes today's per-step records. Exploded, the TURN records are exactly the detailed records.
 */
class AuditModeTest {

    private static final String ORDER_12345 = """
            {"orderId":"12345","customerId":"alice","status":"SHIPPED","total":"42.50","currency":"EUR",
             "placedAt":"2026-11-20","trackingId":"TRK-1001","items":["Blue mug","Tea sampler"]}""";

    /** The same conversation: an answered order question, a slot prompt and its answer, a question whose backend misses its deadline, a greeting whose profile lookup does too. */
    private static List<AuditEvent> converse(AuditMode mode, int maxTurnSteps) {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.audit(
                new AuditSettings(false, Optional.empty(), mode, maxTurnSteps)), "flows/demo-shop.yaml")) {
            driver.say("where is my order 12345");
            BackendRequest request = driver.request();
            driver.answer(request, ORDER_12345);
            driver.say("where is my order");
            driver.say("12345");
            driver.request();
            driver.advance(Duration.ofSeconds(9));
            driver.say("hello");
            driver.request();
            driver.advance(Duration.ofSeconds(9));
            return driver.auditAsWritten();
        }
    }

    /** The default mode, set explicitly (the suite may run with -Dparley.test.auditMode=detailed). */
    private static ProcessorDriver turnMode() {
        return ProcessorDriver.with(config -> config.audit(AuditSettings.DEFAULTS), "flows/demo-shop.yaml");
    }

    @Test
    void theDefaultModeIsTurn() {
        assertThat(AuditSettings.DEFAULTS.mode()).isEqualTo(AuditMode.TURN);
    }

    @Test
    void turnModeWritesOneRecordPerTurnCarryingTheStepsDetailedModeWrites() {
        // Given the same conversation in both modes
        List<AuditEvent> detailed = converse(AuditMode.DETAILED, AuditSettings.DEFAULT_MAX_TURN_STEPS);
        List<AuditEvent> turns = converse(AuditMode.TURN, AuditSettings.DEFAULT_MAX_TURN_STEPS);

        // Then detailed mode writes per-step records only, turn mode TURN records only (every step here is a turn step)
        assertThat(detailed).extracting(AuditEvent::getKind).doesNotContain(AuditKind.TURN);
        assertThat(turns).extracting(AuditEvent::getKind).containsOnly(AuditKind.TURN);
        assertThat(turns.size()).isLessThan(detailed.size());
        // And exploded, the TURN records are exactly the detailed records, in order
        assertThat(turns.stream().flatMap(turn -> AuditSteps.of(turn).stream()).toList()).isEqualTo(detailed);
        // And the answered question is one record: inbound, intent, request, response, reply
        assertThat(turns.get(0).getSteps()).extracting(AuditStep::getKind).containsExactly(AuditKind.INBOUND, AuditKind.INTENT,
                AuditKind.BACKEND_REQUEST, AuditKind.BACKEND_RESPONSE, AuditKind.REPLY);
        assertThat(turns.get(0).getStatus()).isEqualTo("ANSWER");
        assertThat(turns.get(0).getIntent()).isEqualTo("order-status");
        assertThat(turns.get(0).getConversationId()).isEqualTo(ProcessorDriver.CONVERSATION);
    }

    @Test
    void stepsWaitInTheSessionWhileTheTurnWaitsForItsBackend() {
        try (ProcessorDriver driver = turnMode()) {
            // When a question waits for its backend
            driver.say("where is my order 12345");
            BackendRequest request = driver.request();

            // Then nothing is written yet: its steps wait in the session
            assertThat(driver.auditAsWritten()).isEmpty();
            assertThat(driver.session(ProcessorDriver.CONVERSATION).getPendingAudit().getSteps()).extracting(AuditStep::getKind)
                    .containsExactly(AuditKind.INBOUND, AuditKind.INTENT, AuditKind.BACKEND_REQUEST);

            // And when the answer ends the turn, one TURN record is written and the session holds none
            driver.answer(request, ORDER_12345);
            assertThat(driver.auditAsWritten()).extracting(AuditEvent::getKind).containsExactly(AuditKind.TURN);
            assertThat(driver.session(ProcessorDriver.CONVERSATION).getPendingAudit()).isNull();
        }
    }

    @Test
    void stepsThatWouldMakeTheStoredSessionTooLargeAreWrittenAtOnceLosingNone() {
        // Given sessions of at most 16 KiB and audit texts of up to 20,000 characters
        Limits limits = new Limits(8 << 10, 16 << 10, 8 << 10, 4_000, 20_000, 256 << 10,
                Duration.ofSeconds(2), Duration.ofSeconds(60));
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.audit(AuditSettings.DEFAULTS).limits(limits),
                "flows/demo-shop.yaml")) {
            // When a question of 16.5 kB waits for its backend (its steps would hold it: the session would be too large)
            driver.say("where is my order 12345 " + "\u20ac".repeat(5_500));
            BackendRequest request = driver.request();

            // Then its steps so far are written at once, and the stored session stays within its bound
            Session session = driver.session(ProcessorDriver.CONVERSATION);
            assertThat(session.getTurn()).as("the turn still waits").isNotNull();
            assertThat(session.getPendingAudit() == null).as("no steps wait in the session").isTrue();
            assertThat(session.toByteBuffer().remaining()).isLessThanOrEqualTo(16 << 10);
            assertThat(driver.auditAsWritten()).singleElement().satisfies(turn -> assertThat(turn.getSteps())
                    .extracting(AuditStep::getKind).containsExactly(AuditKind.INBOUND, AuditKind.INTENT, AuditKind.BACKEND_REQUEST));

            // And the turn goes on in a record of its own when the answer ends it
            driver.answer(request, ORDER_12345);
            assertThat(driver.auditAsWritten()).singleElement().satisfies(turn -> {
                assertThat(turn.getSteps()).extracting(AuditStep::getKind)
                        .containsExactly(AuditKind.BACKEND_RESPONSE, AuditKind.REPLY);
                assertThat(turn.getStatus()).isEqualTo("ANSWER");
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTurnLongerThanTheCapIsWrittenAsSeveralRecordsLosingNoStep() {
        List<AuditEvent> detailed = converse(AuditMode.DETAILED, AuditSettings.DEFAULT_MAX_TURN_STEPS);
        List<AuditEvent> capped = converse(AuditMode.TURN, 2);

        assertThat(capped).allSatisfy(turn -> assertThat(turn.getSteps()).hasSizeBetween(1, 2));
        assertThat(capped.stream().map(AuditEvent::getAuditId).distinct().count()).isEqualTo(capped.size());
        assertThat(capped.stream().flatMap(turn -> AuditSteps.of(turn).stream()).toList()).isEqualTo(detailed);
    }

    @Test
    void recordsThatAreNotTurnStepsStayAsTheyAre() {
        try (ProcessorDriver driver = turnMode()) {
            var question = driver.say("where is my order 12345");
            driver.request();
            driver.send(question);

            assertThat(driver.auditAsWritten()).extracting(AuditEvent::getKind).containsExactly(AuditKind.DUPLICATE);
        }
    }
}
