package io.parley.processor;

import io.parley.processor.conversation.Ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour 3: calls of a step run in parallel and the user gets one answer with all of them. */
class ParallelCallsTest {

    private final ProcessorDriver driver = ProcessorDriver.demoShop();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void stockCheckIssuesBothCallsAtOnce() {
        ChatEvent question = driver.say("is MUG-01 in stock");

        List<BackendRequest> requests = driver.requests();
        assertThat(requests).extracting(BackendRequest::getOperation).containsExactly("getInventory", "getStoreHours");
        assertThat(requests.get(0).getParams()).isEqualTo(Map.of("sku", "MUG-01"));
        assertThat(requests.get(1).getParams()).isEqualTo(Map.of("storeId", "main"));
        assertThat(requests).extracting(BackendRequest::getRequestId)
                .containsExactly(Ids.request(question.getConversationId(), question.getEventId(), 0, 0), Ids.request(question.getConversationId(), question.getEventId(), 0, 1));
    }

    @Test
    void exactlyOneReplyAfterBothAnswered() {
        driver.say("is MUG-01 in stock");
        List<BackendRequest> requests = driver.requests();

        driver.answer(requests.get(1), DemoResults.STORE_HOURS);
        assertThat(driver.replies()).isEmpty();
        driver.answer(requests.get(0), DemoResults.INVENTORY_MUG);

        ChatReply reply = driver.reply();
        assertThat(reply.getKind()).isEqualTo(ReplyKind.ANSWER);
        assertThat(reply.getText()).isEqualTo(
                "Yes, Blue mug is in stock (12 left). Parley Shop Central is open 09:00–18:00.");
    }

    @Test
    void aFailedPartIsNamedAndTheRestIsStillGiven() {
        driver.say("is MUG-01 in stock");
        List<BackendRequest> requests = driver.requests();

        driver.answer(requests.get(0), DemoResults.INVENTORY_MUG);
        driver.answer(requests.get(1), BackendStatus.SERVER_ERROR, null);

        ChatReply reply = driver.reply();
        assertThat(reply.getKind()).isEqualTo(ReplyKind.ANSWER);
        assertThat(reply.getText()).isEqualTo("Yes, Blue mug is in stock (12 left). I couldn't get the store hours right now.");
        assertThat(driver.counter("parley.turns", "intent", "stock-check", "outcome", "partial")).isEqualTo(1);
    }

    @Test
    void whenEveryPartFailsTheErrorReplyOfTheStatusIsSent() {
        driver.say("is MUG-01 in stock");
        List<BackendRequest> requests = driver.requests();

        driver.answer(requests.get(0), BackendStatus.NOT_FOUND, null);
        driver.answer(requests.get(1), BackendStatus.TIMEOUT, null);

        assertThat(driver.reply().getText()).isEqualTo("I don't know a product MUG-01.");
    }

    @Test
    void anUnknownProductInOneCallOfTheParallelStepGetsThatCallsNotFoundText() {
        driver.say("is XYZ-99 in stock");
        List<BackendRequest> requests = driver.requests();

        driver.answer(requests.get(0), BackendStatus.NOT_FOUND, null);
        driver.answer(requests.get(1), DemoResults.STORE_HOURS);

        assertThat(driver.reply().getText()).isEqualTo("I don't know a product XYZ-99. Parley Shop Central is open 09:00–18:00.");
    }

    @Test
    void anotherFailureOfThatCallIsStillNamedAsOne() {
        driver.say("is XYZ-99 in stock");
        List<BackendRequest> requests = driver.requests();

        driver.answer(requests.get(0), BackendStatus.SERVER_ERROR, null);
        driver.answer(requests.get(1), DemoResults.STORE_HOURS);

        assertThat(driver.reply().getText())
                .isEqualTo("I couldn't check the stock of XYZ-99 right now. Parley Shop Central is open 09:00–18:00.");
    }

    @Test
    void aProductCodeTypedInLowerCaseIsNormalisedBeforeItIsUsed() {
        driver.say("is mug-01 in stock");

        assertThat(driver.requests().get(0).getParams()).isEqualTo(Map.of("sku", "MUG-01"));
    }
}
