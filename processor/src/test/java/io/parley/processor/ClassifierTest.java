package io.parley.processor;

import io.parley.processor.conversation.Ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ReplyKind;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour 16: when no rule matches, a classifier names the intent and the turn goes on as if a rule had. */
class ClassifierTest {

    private final ProcessorDriver driver = ProcessorDriver.withFlows("flows/classifier.yaml");

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void unmatchedMessageIsSentToTheClassifier() {
        ChatEvent question = driver.say("has my parcel 1001 left yet?");

        BackendRequest classify = driver.request();
        assertThat(classify.getConnector()).isEqualTo("nlu");
        assertThat(classify.getOperation()).isEqualTo("classify");
        assertThat(classify.getRequestId()).isEqualTo(Ids.classification(question.getConversationId(), question.getEventId()));
        assertThat(classify.getParams()).containsEntry("text", "has my parcel 1001 left yet?")
                .containsEntry("intents", "order-status").containsEntry("channel", "web").containsEntry("locale", "en-GB");
        assertThat(driver.replies()).isEmpty();
    }

    @Test
    void classifiedIntentWithEntitiesContinuesLikeARuleMatch() {
        ChatEvent question = driver.say("has my parcel 1001 left yet?");

        driver.answer(driver.request(), """
                {"intent":"order-status","entities":{"orderId":"1001"}}""");

        BackendRequest order = driver.request();
        assertThat(order.getOperation()).isEqualTo("getOrder");
        assertThat(order.getParams()).isEqualTo(Map.of("orderId", "1001", "customerId", ProcessorDriver.USER));
        assertThat(order.getRequestId()).isEqualTo(Ids.request(question.getConversationId(), question.getEventId(), 0, 0));
        driver.answer(order, DemoResults.ORDER_1001);
        assertThat(driver.reply().getText()).isEqualTo("Order 1001 is SHIPPED.");
        assertThat(driver.audit()).filteredOn(a -> a.getKind() == AuditKind.INTENT).singleElement()
                .satisfies(intent -> assertThat(intent.getAttributes()).containsEntry("matchedBy", "llm"));
    }

    @Test
    void classifiedIntentWithoutEntitiesAsksForTheMissingSlot() {
        driver.say("has my parcel left yet?");

        driver.answer(driver.request(), """
                {"intent":"order-status"}""");

        assertThat(driver.reply().getText()).isEqualTo("What is your order number?");
    }

    @Test
    void classifierFailureFallsBackToTheFallbackReply() {
        driver.say("has my parcel 1001 left yet?");

        driver.answer(driver.request(), BackendStatus.SERVER_ERROR, null);

        assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.FALLBACK);
        assertThat(driver.audit()).extracting(AuditEvent::getKind).contains(AuditKind.NO_MATCH);
        assertThat(driver.session(ProcessorDriver.CONVERSATION).getTurn()).isNull();
    }

    @Test
    void unknownClassifiedIntentFallsBackToTheFallbackReply() {
        driver.say("sing me a song");

        driver.answer(driver.request(), """
                {"intent":"karaoke"}""");

        assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.FALLBACK);
    }

    @Test
    void silentClassifierGetsTheFallbackAtTheDeadline() {
        driver.say("has my parcel 1001 left yet?");
        driver.request();

        driver.advance(Duration.ofSeconds(2));
        driver.advance(Duration.ofSeconds(6));

        assertThat(driver.replies()).extracting(r -> r.getKind()).containsExactly(ReplyKind.INTERIM, ReplyKind.FALLBACK);
    }
}
