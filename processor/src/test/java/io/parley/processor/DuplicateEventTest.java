package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatEvent;
import org.junit.jupiter.api.Test;

/** Behaviour 6: a chat event delivered twice is handled once. */
class DuplicateEventTest {

    @Test
    void repeatedEventIdProducesNoSecondRequestOrReply() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            ChatEvent question = driver.say("where is my order 1001");
            assertThat(driver.requests()).hasSize(1);
            driver.audit();

            driver.send(question);

            assertThat(driver.requests()).isEmpty();
            assertThat(driver.replies()).isEmpty();
            assertThat(driver.auditKinds()).containsExactly(AuditKind.DUPLICATE);
            assertThat(driver.counter("parley.duplicates", "what", "event")).isEqualTo(1);
        }
    }

    @Test
    void repeatedSlotAnswerDoesNotReissueTheRequest() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("where is my order");
            ChatEvent answer = driver.say("1001");
            assertThat(driver.requests()).hasSize(1);

            driver.send(answer);

            assertThat(driver.requests()).isEmpty();
        }
    }
}
