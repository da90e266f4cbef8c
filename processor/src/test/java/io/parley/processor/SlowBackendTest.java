package io.parley.processor;

import io.parley.processor.conversation.Ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.ConversationSettings;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour 5: a slow backend gets a still-working message, then the fallback; late and repeated answers. */
class SlowBackendTest {

    @Test
    void interimAfterInterimAfterAndFallbackAtTheDeadline() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            ChatEvent question = driver.say("where is my order 1001");
            driver.request();
            driver.audit();

            driver.advance(Duration.ofMillis(1_500));
            assertThat(driver.replies()).isEmpty();

            driver.advance(Duration.ofMillis(500));
            ChatReply interim = driver.reply();
            assertThat(interim.getKind()).isEqualTo(ReplyKind.INTERIM);
            assertThat(interim.getText()).isEqualTo("Still working on it…");
            assertThat(interim.getInReplyTo()).isEqualTo(question.getEventId());

            driver.advance(Duration.ofSeconds(6));
            ChatReply fallback = driver.reply();
            assertThat(fallback.getKind()).isEqualTo(ReplyKind.FALLBACK);
            assertThat(fallback.getText()).isEqualTo("Sorry, this is taking longer than expected. Please try again in a moment.");
            assertThat(driver.auditKinds()).endsWith(AuditKind.INTERIM, AuditKind.TIMEOUT, AuditKind.REPLY);
            assertThat(driver.counter("parley.interims")).isEqualTo(1);
            assertThat(driver.counter("parley.timeouts", "connector", "shop-api", "operation", "getOrder")).isEqualTo(1);
        }
    }

    @Test
    void answerAfterTheDeadlineIsDeliveredAsFollowUpWhenTheFlowAllowsIt() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("where is my order 1001");
            BackendRequest request = driver.request();
            driver.advance(Duration.ofSeconds(9));
            driver.replies();
            driver.audit();

            driver.answer(request, DemoResults.ORDER_1001);

            ChatReply followUp = driver.reply();
            assertThat(followUp.getKind()).isEqualTo(ReplyKind.FOLLOW_UP);
            assertThat(followUp.getText()).startsWith("Order 1001 is SHIPPED");
            assertThat(followUp.getReplyId()).isEqualTo(Ids.scoped(request.getConversationId(), request.getRequestId()) + "/follow_up");
            List<AuditEvent> audit = driver.audit();
            assertThat(audit).extracting(AuditEvent::getKind).containsExactly(AuditKind.LATE, AuditKind.REPLY);
            assertThat(audit.get(0).getAttributes()).containsEntry("delivered", "true");
        }
    }

    @Test
    void answerAfterTheDeadlineIsAuditedAndDroppedWhenLateRepliesAreOff() {
        ConversationSettings noLateReplies = new ConversationSettings(Duration.ofSeconds(2), Duration.ofSeconds(8), false,
                Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofMillis(500), Duration.ofMinutes(10), ConversationSettings.DEFAULTS.directoryRefresh(),
                ConversationSettings.DEFAULTS.sessionCache());
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.conversation(noLateReplies), "flows/demo-shop.yaml")) {
            driver.say("where is my order 1001");
            BackendRequest request = driver.request();
            driver.advance(Duration.ofSeconds(9));
            driver.replies();
            driver.audit();

            driver.answer(request, DemoResults.ORDER_1001);

            assertThat(driver.replies()).isEmpty();
            List<AuditEvent> audit = driver.audit();
            assertThat(audit).extracting(AuditEvent::getKind).containsExactly(AuditKind.LATE);
            assertThat(audit.get(0).getAttributes()).containsEntry("delivered", "false");
            assertThat(driver.counter("parley.late.answers", "delivered", "false")).isEqualTo(1);
        }
    }

    /** Deadlines are found every hour: an answer can be read after its deadline before the punctuator has seen it. */
    private static ProcessorDriver withLazyPunctuator() {
        ConversationSettings hourly = new ConversationSettings(Duration.ofSeconds(2), Duration.ofSeconds(8), true,
                Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofHours(1), Duration.ofMinutes(10), ConversationSettings.DEFAULTS.directoryRefresh(),
                ConversationSettings.DEFAULTS.sessionCache());
        return ProcessorDriver.with(config -> config.conversation(hourly), "flows/demo-shop.yaml");
    }

    @Test
    void timeoutReadAfterTheDeadlineGivesTheFallbackEvenBeforeThePunctuatorFires() {
        try (ProcessorDriver driver = withLazyPunctuator()) {
            // Given a lookup whose deadline has passed, unnoticed by the punctuator so far
            ChatEvent question = driver.say("where is my order 1001");
            BackendRequest request = driver.request();
            driver.advance(Duration.ofSeconds(9));
            assertThat(driver.replies()).isEmpty();
            driver.audit();

            // When the worker's TIMEOUT (it gave up at the deadline) is read
            driver.answer(request, BackendStatus.TIMEOUT, null);

            // Then the user gets the fallback, as when the punctuator wins the race, not the TIMEOUT error reply
            ChatReply fallback = driver.reply();
            assertThat(fallback.getKind()).isEqualTo(ReplyKind.FALLBACK);
            assertThat(fallback.getText()).isEqualTo("Sorry, this is taking longer than expected. Please try again in a moment.");
            assertThat(fallback.getInReplyTo()).isEqualTo(question.getEventId());
            List<AuditEvent> audit = driver.audit();
            assertThat(audit).extracting(AuditEvent::getKind).endsWith(AuditKind.TIMEOUT, AuditKind.REPLY, AuditKind.LATE);
            assertThat(audit.get(audit.size() - 1).getAttributes()).containsEntry("delivered", "false");
        }
    }

    @Test
    void answerReadAfterTheDeadlineIsAFollowUpEvenBeforeThePunctuatorFires() {
        try (ProcessorDriver driver = withLazyPunctuator()) {
            driver.say("where is my order 1001");
            BackendRequest request = driver.request();
            driver.advance(Duration.ofSeconds(9));

            driver.answer(request, DemoResults.ORDER_1001);

            assertThat(driver.replies()).extracting(ChatReply::getKind).containsExactly(ReplyKind.FALLBACK, ReplyKind.FOLLOW_UP);
        }
    }

    @Test
    void answerReadBeforeTheDeadlineIsTheAnswerWhateverThePunctuator() {
        try (ProcessorDriver driver = withLazyPunctuator()) {
            driver.say("where is my order 1001");
            BackendRequest request = driver.request();
            driver.advance(Duration.ofMillis(7_999));

            driver.answer(request, DemoResults.ORDER_1001);

            assertThat(driver.replies()).extracting(ChatReply::getKind).containsExactly(ReplyKind.ANSWER);
        }
    }

    @Test
    void aRequestStaysAnswerableForAsLongAsALateAnswerWouldStillBeAFollowUp() {
        ConversationSettings shortWindow = new ConversationSettings(Duration.ofSeconds(2), Duration.ofSeconds(8), true,
                Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofMillis(500), Duration.ofSeconds(30), ConversationSettings.DEFAULTS.directoryRefresh(),
                ConversationSettings.DEFAULTS.sessionCache());
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.conversation(shortWindow), "flows/demo-shop.yaml")) {
            driver.say("where is my order 1001");

            BackendRequest request = driver.request();

            // the worker must not cut the call off at the fallback, or no follow-up could ever come
            assertThat(request.getDeadline()).isEqualTo(driver.now().plus(Duration.ofSeconds(8 + 30)));
        }
    }

    @Test
    void withoutLateRepliesARequestIsOfNoUseAfterTheTurnsDeadline() {
        ConversationSettings noLateReplies = new ConversationSettings(Duration.ofSeconds(2), Duration.ofSeconds(8), false,
                Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofMillis(500), Duration.ofMinutes(10), ConversationSettings.DEFAULTS.directoryRefresh(),
                ConversationSettings.DEFAULTS.sessionCache());
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.conversation(noLateReplies), "flows/demo-shop.yaml")) {
            driver.say("where is my order 1001");

            BackendRequest request = driver.request();

            assertThat(request.getDeadline()).isEqualTo(driver.now().plus(Duration.ofSeconds(8)));
        }
    }

    @Test
    void secondAnswerForTheSameRequestIsIgnored() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("where is my order 1001");
            BackendRequest request = driver.request();
            driver.answer(request, DemoResults.ORDER_1001);
            driver.replies();
            driver.audit();

            driver.answer(request, DemoResults.ORDER_1001);

            assertThat(driver.replies()).isEmpty();
            assertThat(driver.requests()).isEmpty();
            assertThat(driver.auditKinds()).containsExactly(AuditKind.DUPLICATE);
            assertThat(driver.counter("parley.duplicates", "what", "response")).isEqualTo(1);
        }
    }

    @Test
    void answerInTimeCancelsTheTimers() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("where is my order 1001");
            driver.answer(driver.request(), DemoResults.ORDER_1001);
            driver.replies();

            driver.advance(Duration.ofSeconds(10));

            assertThat(driver.replies()).isEmpty();
            try (var entries = driver.<Object, Object>store("deadlines").all()) {
                assertThat(entries.hasNext()).isFalse();
            }
        }
    }
}
