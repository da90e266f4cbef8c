package io.parley.processor;

import io.parley.processor.conversation.Ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour 2: a missing detail is asked for, validated, re-asked, and the question can be cancelled. */
class SlotFillingTest {

    private final ProcessorDriver driver = ProcessorDriver.demoShop();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void missingOrderNumberIsAskedFor() {
        ChatEvent question = driver.say("where is my order");

        ChatReply prompt = driver.reply();
        assertThat(prompt.getKind()).isEqualTo(ReplyKind.PROMPT);
        assertThat(prompt.getText()).isEqualTo("What is your order number?");
        assertThat(prompt.getInReplyTo()).isEqualTo(question.getEventId());
        assertThat(driver.requests()).isEmpty();
        assertThat(driver.auditKinds()).contains(AuditKind.SLOT_PROMPT);
    }

    @Test
    void invalidAnswerIsReAskedWithTheValidationMessage() {
        driver.say("where is my order");
        driver.replies();

        driver.say("abc");

        ChatReply reprompt = driver.reply();
        assertThat(reprompt.getKind()).isEqualTo(ReplyKind.PROMPT);
        assertThat(reprompt.getText()).isEqualTo("An order number has digits only, like 1001. What is your order number?");
        assertThat(driver.requests()).isEmpty();
    }

    @Test
    void validAnswerIssuesTheRequest() {
        driver.say("where is my order");
        driver.say("abc");
        driver.replies();

        ChatEvent answer = driver.say("12345");

        BackendRequest request = driver.request();
        assertThat(request.getParams()).containsEntry("orderId", "12345").containsEntry("customerId", ProcessorDriver.USER);
        assertThat(request.getRequestId()).isEqualTo(Ids.request(answer.getConversationId(), answer.getEventId(), 0, 0));
        assertThat(driver.replies()).isEmpty();
    }

    @Test
    void cancelDuringAPromptAbandonsTheIntent() {
        driver.say("where is my order");
        driver.replies();

        driver.say("cancel");

        ChatReply cancelled = driver.reply();
        assertThat(cancelled.getText()).isEqualTo("OK, I've cancelled that.");
        assertThat(driver.session(ProcessorDriver.CONVERSATION).getTurn()).isNull();

        // A bare number is no longer an answer to the cancelled question: the bot asks what it is about
        driver.say("12345");
        assertThat(driver.requests()).isEmpty();
        ChatReply question = driver.reply();
        assertThat(question.getKind()).isEqualTo(ReplyKind.PROMPT);
        assertThat(question.getText()).isEqualTo("Did you mean one of these?");
        assertThat(question.getQuickReplies()).contains("Order status");
    }

    @Test
    void tooManyInvalidAnswersGiveUp() {
        driver.say("where is my order");
        driver.say("abc");
        driver.say("def");
        driver.replies();

        driver.say("ghi");

        ChatReply gaveUp = driver.reply();
        assertThat(gaveUp.getKind()).isEqualTo(ReplyKind.FALLBACK);
        assertThat(driver.session(ProcessorDriver.CONVERSATION).getTurn()).isNull();
    }

    @Test
    void anotherQuestionDuringAPromptStartsThatIntent() {
        driver.say("where is my order");
        driver.replies();

        driver.say("is MUG-01 in stock");

        assertThat(driver.requests()).extracting(BackendRequest::getOperation).containsExactly("getInventory", "getStoreHours");
    }
}
