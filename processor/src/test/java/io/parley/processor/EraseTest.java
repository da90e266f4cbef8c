package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour 8: ERASE forgets the conversation and the user. */
class EraseTest {

    @Test
    void eraseRemovesSessionDirectoryEntryAndPendingCalls() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("where is my order 1001");
            assertThat(driver.session(ProcessorDriver.CONVERSATION).getTurn().getPending()).hasSize(1);
            assertThat(driver.contact(ProcessorDriver.USER)).isNotNull();

            driver.erase(ProcessorDriver.CONVERSATION, ProcessorDriver.USER);

            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNull();
            assertThat(driver.contact(ProcessorDriver.USER)).isNull();
            try (var deadlines = driver.<Object, Object>store("deadlines").all();
                 var expiries = driver.<Object, Object>store("session-expiry").all()) {
                assertThat(deadlines.hasNext()).isFalse();
                assertThat(expiries.hasNext()).isFalse();
            }
        }
    }

    @Test
    void erasedAuditRecordCarriesNoText() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("my email is alice@example.com");
            driver.audit();
            driver.replies();

            driver.erase(ProcessorDriver.CONVERSATION, ProcessorDriver.USER);

            List<AuditEvent> audit = driver.audit();
            AuditEvent erased = audit.stream().filter(a -> a.getKind() == AuditKind.ERASED).findFirst().orElseThrow();
            assertThat(erased.getText()).isNull();
            assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.ANSWER);
        }
    }

    @Test
    void nextEventAfterEraseStartsFresh() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("where is my order");
            driver.erase(ProcessorDriver.CONVERSATION, ProcessorDriver.USER);
            driver.replies();

            driver.say("1001");

            // Not the answer to the erased question: the bot asks what the number is about
            assertThat(driver.requests()).isEmpty();
            assertThat(driver.reply().getText()).isEqualTo("Did you mean one of these?");
            Session fresh = driver.session(ProcessorDriver.CONVERSATION);
            assertThat(fresh.getRecentTurns()).hasSize(1);
            assertThat(driver.contact(ProcessorDriver.USER)).isNotNull();
        }
    }

    @Test
    void answerForAnErasedConversationIsSkippedLoggedAndCounted() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop(); LogCapture log = LogCapture.of("io.parley.processor.topology")) {
            driver.say("where is my order 1001");
            var request = driver.request();
            driver.erase(ProcessorDriver.CONVERSATION, ProcessorDriver.USER);
            driver.replies();

            driver.answer(request, DemoResults.ORDER_1001);

            assertThat(driver.replies()).isEmpty();
            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNull();
            assertThat(driver.counter("parley.skipped.records", "reason", "no session for the response")).isEqualTo(1);
            assertThat(log.warnings()).containsExactly(
                    "Skipped record from topic backend.responses partition 0 offset 0: no session for the response");
        }
    }
}
