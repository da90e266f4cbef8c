package io.parley.processor;

import io.parley.processor.conversation.Ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour 1: a question with everything needed becomes one backend request, and its answer one reply. */
class OrderStatusTest {

    private static final String ORDER_12345 = """
            {"orderId":"12345","customerId":"alice","status":"SHIPPED","total":"42.50","currency":"EUR",
             "placedAt":"2026-11-20","trackingId":"TRK-1001","items":["Blue mug","Tea sampler"]}""";

    private final ProcessorDriver driver = ProcessorDriver.demoShop();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void orderQuestionIssuesOneRequestWithTheOrderNumberAndTheAuthenticatedUser() {
        ChatEvent question = driver.say("where is my order 12345");

        BackendRequest request = driver.request();
        assertThat(request.getConnector()).isEqualTo("shop-api");
        assertThat(request.getOperation()).isEqualTo("getOrder");
        assertThat(request.getParams()).isEqualTo(Map.of("orderId", "12345", "customerId", ProcessorDriver.USER));
        assertThat(request.getUserId()).isEqualTo(ProcessorDriver.USER);
        assertThat(request.getConversationId()).isEqualTo(ProcessorDriver.CONVERSATION);
        assertThat(request.getEventId()).isEqualTo(question.getEventId());
        assertThat(request.getRequestId()).isEqualTo(Ids.request(question.getConversationId(), question.getEventId(), 0, 0));
        // the demo flow turns late answers into follow-ups: the answer is wanted for the deadline (8 s)
        // plus the time late answers are recognised (10 min), so the worker keeps trying that long
        assertThat(request.getDeadline()).isEqualTo(driver.now().plus(Duration.ofSeconds(8)).plus(Duration.ofMinutes(10)));
        assertThat(driver.replies()).isEmpty();
    }

    @Test
    void okAnswerBecomesOneAnswerRenderedFromTheResult() {
        ChatEvent question = driver.say("where is my order 12345");
        BackendRequest request = driver.request();

        driver.answer(request, ORDER_12345);

        ChatReply reply = driver.reply();
        assertThat(reply.getKind()).isEqualTo(ReplyKind.ANSWER);
        assertThat(reply.getText()).isEqualTo(
                "Order 12345 is SHIPPED: 42.50 EUR, placed on 2026-11-20. Tracking number: TRK-1001.");
        assertThat(reply.getInReplyTo()).isEqualTo(question.getEventId());
        assertThat(reply.getReplyId()).isEqualTo(Ids.scoped(question.getConversationId(), question.getEventId()) + "/answer");
        assertThat(reply.getConversationId()).isEqualTo(ProcessorDriver.CONVERSATION);
        assertThat(reply.getChannel()).isEqualTo(ProcessorDriver.CHANNEL);
        assertThat(driver.session(ProcessorDriver.CONVERSATION).getTurn()).isNull();
    }

    @Test
    void pendingCallsAreCountedUntilAnswered() {
        driver.say("where is my order 12345");
        BackendRequest request = driver.request();
        assertThat(driver.gauge("parley.pending.calls")).isEqualTo(1);

        driver.answer(request, ORDER_12345);

        assertThat(driver.gauge("parley.pending.calls")).isZero();
        assertThat(driver.registry().find("parley.turn.latency").tag("kind", "answer").timer().count()).isEqualTo(1);
    }

    @Test
    void everyStepOfTheTurnIsAudited() {
        driver.say("where is my order 12345");
        driver.answer(driver.request(), ORDER_12345);

        assertThat(driver.auditKinds()).containsExactly(AuditKind.INBOUND, AuditKind.INTENT, AuditKind.BACKEND_REQUEST,
                AuditKind.BACKEND_RESPONSE, AuditKind.REPLY);
    }

    @Test
    void postbackNamingTheIntentStartsItWithItsSlots() {
        driver.send(driver.event(ProcessorDriver.CONVERSATION, ProcessorDriver.USER, ChatEventType.POSTBACK, null)
                .setPayload(Map.of("intent", "order-status", "orderId", "12345")));

        assertThat(driver.request().getParams()).containsEntry("orderId", "12345");
    }

    @Test
    void sameInputGivesSameIdsInAnotherRun() {
        driver.say("where is my order 12345");
        BackendRequest first = driver.request();

        try (ProcessorDriver rerun = ProcessorDriver.demoShop()) {
            rerun.say("where is my order 12345");
            assertThat(rerun.request().getRequestId()).isEqualTo(first.getRequestId());
        }
    }
}
