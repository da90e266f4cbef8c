package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import org.junit.jupiter.api.Test;

/** Behaviour 7: with no matching intent and no classifier, the user gets the fallback reply. */
class NoMatchTest {

    @Test
    void unmatchedMessageGetsTheFallbackReplyAndANoMatchAudit() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("tell me a joke");

            ChatReply reply = driver.reply();
            assertThat(reply.getKind()).isEqualTo(ReplyKind.FALLBACK);
            assertThat(reply.getText()).startsWith("Sorry, I didn't get that.");
            assertThat(driver.requests()).isEmpty();
            assertThat(driver.audit()).extracting(AuditEvent::getKind).contains(AuditKind.NO_MATCH);
            assertThat(driver.counter("parley.turns", "intent", "none", "outcome", "no_match")).isEqualTo(1);
        }
    }
}
