package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 14: what no rule matches, the classifier trained on the demo flows' examples understands. */
class BuiltInClassifierTest {

    private final ProcessorDriver driver = ProcessorDriver.demoShop();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aMessageNoRuleMatchesIsUnderstoodAndItsSlotTakenFromTheText() {
        // Given a message with no keyword or pattern of the demo flows
        driver.say("I want to know about 1001");

        // Then the classifier picks order status, the order number comes from the text, and the order is looked up
        BackendRequest lookup = driver.request();
        assertThat(lookup.getOperation()).isEqualTo("getOrder");
        assertThat(lookup.getParams()).containsEntry("orderId", "1001");
        driver.answer(lookup, DemoResults.ORDER_1001);
        AuditEvent intent = driver.audit().stream().filter(a -> a.getKind() == AuditKind.INTENT).findFirst().orElseThrow();
        assertThat(intent.getIntent()).isEqualTo("order-status");
        assertThat(intent.getAttributes()).containsEntry("matchedBy", "classifier").containsKey("classifier.model");
        assertThat(intent.getAttributes().get("classifier.top")).startsWith("order-status:");
    }

    @Test
    void aParaphraseWithoutTheSlotAsksForIt() {
        driver.say("has my parcel left yet?");

        ChatReply prompt = driver.reply();
        assertThat(prompt.getKind()).isEqualTo(ReplyKind.PROMPT);
        assertThat(prompt.getText()).isEqualTo("Which order should I track? Please tell me the order number.");
    }

    @Test
    void aShortProductQuestionIsAStockCheck() {
        driver.say("mug in stock?");

        // A rule ("stock") would take it too; either way it is the stock check, asking for the SKU
        assertThat(driver.reply().getText()).isEqualTo("Which product? Please tell me its SKU, like MUG-01.");
    }

    @Test
    void anUnsureGuessAsksWhichIntentWithTheirTitlesAsQuickReplies() {
        // Given a message between tracking and order status
        driver.say("parcel order purchase");

        ChatReply question = driver.reply();
        if (question.getKind() == ReplyKind.PROMPT && question.getQuickReplies().size() > 1) {
            assertThat(question.getText()).isEqualTo("Did you mean one of these?");
            assertThat(question.getQuickReplies()).contains("Order status");

            // When the user taps a title, that intent runs
            driver.say("Order status");
            assertThat(driver.reply().getText()).isEqualTo("What is your order number?");
        } else {
            // The model was confident: that is fine too, as long as it picked one of the two
            assertThat(driver.audit().stream().filter(a -> a.getKind() == AuditKind.INTENT).map(AuditEvent::getIntent))
                    .isNotEmpty();
        }
    }

    @Test
    void aQuickReplyTitleSelectsItsIntent() {
        driver.say("Track a shipment");

        assertThat(driver.reply().getText()).isEqualTo("Which order should I track? Please tell me the order number.");
    }

    @Test
    void gibberishIsStillNotUnderstood() {
        driver.say("zxqv blorp");

        assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.FALLBACK);
    }
}
