package io.parley.processor;

import io.parley.processor.conversation.Ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Behaviour 12: bad input goes to the dead-letter topic, and failing flows answer with an error; the stream goes on. */
class PoisonInputTest {

    @Test
    void garbageOnChatEventsLandsInTheDeadLetterTopicAndTheNextEventIsProcessedNormally() {
        // TopologyTestDriver loses dead letters of unreadable records under exactly-once (they are sent
        // before its simulated transaction); DeadLetterIT shows the same with exactly-once on a real broker.
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.kafka("processing.guarantee", "at_least_once"),
                "flows/demo-shop.yaml")) {
            byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);

            driver.sendRaw("conv-1".getBytes(StandardCharsets.UTF_8), garbage);
            driver.say("where is my order 1001");

            List<TestRecord<byte[], byte[]>> deadLetters = driver.deadLetters();
            assertThat(deadLetters).singleElement().satisfies(record -> {
                assertThat(record.value()).isEqualTo(garbage);
                assertThat(header(record, "__streams.errors.topic")).isEqualTo("chat.events");
                assertThat(header(record, "__streams.errors.partition")).isEqualTo("0");
                assertThat(header(record, "__streams.errors.offset")).isEqualTo("0");
                assertThat(header(record, "__streams.errors.exception")).isEqualTo(SerializationException.class.getName());
            });
            assertThat(driver.request().getParams()).containsEntry("orderId", "1001");
            assertThat(driver.counter("parley.skipped.records", "reason", "unreadable")).isEqualTo(1);
        }
    }

    @Test
    void templateFailingAtRenderTimeGivesAnErrorReplyAndAnErrorAudit() {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/failing-template.yaml")) {
            driver.say("note for order 1001");
            driver.audit();

            driver.answer(driver.request(), DemoResults.ORDER_1001);

            ChatReply reply = driver.reply();
            assertThat(reply.getKind()).isEqualTo(ReplyKind.ERROR);
            assertThat(reply.getText()).isEqualTo("Sorry, something went wrong on our side. Please try again.");
            List<AuditEvent> audit = driver.audit();
            assertThat(audit).extracting(AuditEvent::getKind).contains(AuditKind.ERROR);
            assertThat(audit).filteredOn(a -> a.getKind() == AuditKind.ERROR).singleElement()
                    .satisfies(error -> assertThat(error.getStatus()).isEqualTo("TemplateRenderException"));
            assertThat(driver.deadLetters()).isEmpty();
        }
    }

    @Test
    void conversationGoesOnAfterAFailedTurn() {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/failing-template.yaml")) {
            driver.say("note for order 1001");
            driver.answer(driver.request(), DemoResults.ORDER_1001);
            driver.replies();

            driver.say("thanks");

            assertThat(driver.reply().getText()).isEqualTo("You're welcome!");
            assertThat(driver.session(ProcessorDriver.CONVERSATION).getTurn()).isNull();
        }
    }

    @Test
    void lateAnswerWhoseFollowUpFailsToRenderGivesAnErrorAboutItsOwnMessage() {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/failing-template.yaml")) {
            // Given a lookup that got the fallback at its deadline
            ChatEvent question = driver.say("note for order 1001");
            BackendRequest request = driver.request();
            driver.advance(Duration.ofSeconds(9));
            assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.FALLBACK);

            // When its answer comes, without the field the follow-up needs
            driver.answer(request, DemoResults.ORDER_1001);

            // Then the error is about that message (not about the request)
            ChatReply error = driver.reply();
            assertThat(error.getKind()).isEqualTo(ReplyKind.ERROR);
            assertThat(error.getInReplyTo()).isEqualTo(question.getEventId());
            assertThat(error.getReplyId()).isEqualTo(Ids.scoped(question.getConversationId(), question.getEventId()) + "/error");
        }
    }

    @Test
    void lateAnswerWhoseFollowUpFailsToRenderLeavesTheTurnUnderWayAlone() {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/failing-template.yaml")) {
            // Given a lookup that got the fallback, and a second one under way
            ChatEvent first = driver.say("note for order 1001");
            BackendRequest late = driver.request();
            driver.advance(Duration.ofSeconds(9));
            driver.replies();
            ChatEvent second = driver.say("note for order 1002");
            BackendRequest current = driver.request();

            // When the first one's answer cannot be rendered, and then the second one's answer comes
            driver.answer(late, DemoResults.ORDER_1001);
            driver.answer(current, "{\"note\": \"Leave it with the neighbours.\"}");

            // Then the error concerns the first message, and the second still gets its answer
            assertThat(driver.replies()).extracting(ChatReply::getInReplyTo, ChatReply::getKind, ChatReply::getText)
                    .containsExactly(
                            tuple(first.getEventId(), ReplyKind.ERROR, "Sorry, something went wrong on our side. Please try again."),
                            tuple(second.getEventId(), ReplyKind.ANSWER, "Leave it with the neighbours."));
        }
    }

    @Test
    void resultThatIsNotJsonGivesAnErrorReply() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("where is my order 1001");

            driver.answer(driver.request(), "<html>oops</html>");

            assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.ERROR);
        }
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
