package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.Limits;
import io.parley.processor.conversation.ConversationEngine;
import io.parley.processor.conversation.ConversationMetrics;
import io.parley.processor.conversation.Outcome;
import io.parley.processor.conversation.SessionLimits;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.state.Session;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a turn that takes more CPU time than limits.turnCpuBudget is ended with an error reply
 * and counted. With a budget of one nanosecond every turn is over it, on any machine.
 */
class TurnBudgetTest {

    private static final Limits ONE_NANOSECOND = new Limits(64 << 10, 512 << 10, 64 << 10, 4_000, 2_000, 256 << 10,
            Duration.ofNanos(1), Duration.ofSeconds(60));

    @Test
    void aMessageOverBudgetGetsAnErrorReplyAndChangesNothing() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.limits(ONE_NANOSECOND), "flows/demo-shop.yaml")) {
            driver.say("where is my order 1001");

            ChatReply reply = driver.reply();
            assertThat(reply.getKind()).isEqualTo(ReplyKind.ERROR);
            assertThat(driver.requests()).as("what the turn decided is dropped").isEmpty();
            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNull();
            assertThat(driver.counter("parley.turns.over.budget")).isEqualTo(1);
            assertThat(driver.audit()).filteredOn(a -> a.getKind() == AuditKind.ERROR).singleElement()
                    .satisfies(error -> assertThat(error.getAttributes().get("reason"))
                            .isEqualTo("the turn took more CPU time than limits.turnCpuBudget"));
        }
    }

    @Test
    void anAnswerOverBudgetEndsItsTurnWithAnErrorReply() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            // Given a turn waiting for its answer
            driver.say("where is my order 1001");
            BackendRequest request = driver.request();
            Session waiting = driver.session(ProcessorDriver.CONVERSATION);
            ConversationEngine engine = new ConversationEngine(ProcessorWiring.flows(driver.config()), driver.config().audit().trail(),
                    ConversationMetrics.none(), driver.config().conversation().timing(), SessionLimits.defaults());
            BackendResponse answer = BackendResponse.newBuilder().setRequestId(request.getRequestId())
                    .setConversationId(request.getConversationId()).setConnector(request.getConnector())
                    .setOperation(request.getOperation()).setStatus(BackendStatus.OK).setResult("{}")
                    .setCompletedAt(driver.now()).build();

            // When handling its answer took more than the budget
            Outcome outcome = engine.onResponseOverBudget(waiting, answer, driver.now().toEpochMilli());

            // Then the turn ends with an error reply
            assertThat(outcome.replies()).singleElement().satisfies(reply -> {
                assertThat(reply.getKind()).isEqualTo(ReplyKind.ERROR);
                assertThat(reply.getInReplyTo()).isEqualTo(request.getEventId());
            });
            assertThat(outcome.session()).hasValueSatisfying(session -> assertThat(session.getTurn()).isNull());
        }
    }
}
