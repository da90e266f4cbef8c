package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.Limits;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.Session;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: two answers of about 600 kB in one step made the session record larger than Kafka
 * accepts, and the processor stopped. A session keeps only the fields the flow reads, each result
 * and the session are capped, and replies and audit texts are cut.
 */
class RecordBoundsTest {

    private static final String BIG = "x".repeat(600_000);

    @Test
    void largeAnswersAreKeptOnlyForTheFieldsTheFlowReads() throws Exception {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/large-answers.yaml")) {
            // Given two calls in one step, each answered with about 600 kB of which the flow reads one field
            driver.say("compare");
            List<BackendRequest> calls = driver.requests();
            driver.answer(calls.get(0), "{\"status\":\"SHIPPED\",\"blob\":\"" + BIG + "\"}");

            // Then the session, waiting for the second answer, holds only what the reply reads
            Session waiting = driver.session(ProcessorDriver.CONVERSATION);
            assertThat(waiting.getTurn().getResults()).containsEntry("first", "{\"status\":\"SHIPPED\"}");

            // When the second answer comes, the reply is rendered from the kept fields
            driver.answer(calls.get(1), "{\"status\":\"PACKED\",\"blob\":\"" + BIG + "\"}");
            assertThat(driver.reply().getText()).isEqualTo("SHIPPED and PACKED");
            assertThat(driver.session(ProcessorDriver.CONVERSATION).toByteBuffer().remaining()).isLessThan(2_000);
        }
    }

    @Test
    void aResultLargerThanItsCapFailsTheCallAsResponseTooLarge() throws Exception {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/large-answers.yaml")) {
            // Given a flow that reads the large field itself
            driver.say("dump");
            List<BackendRequest> calls = driver.requests();

            // When both calls answer with it (each above limits.maxResultBytes, 64 KiB)
            driver.answer(calls.get(0), "{\"blob\":\"" + BIG + "\"}");
            driver.answer(calls.get(1), "{\"blob\":\"" + BIG + "\"}");

            // Then the user gets the backend-error reply, the session stays small, and it is counted
            ChatReply reply = driver.reply();
            assertThat(reply.getKind()).isEqualTo(ReplyKind.ANSWER);
            assertThat(reply.getText()).isEqualTo("Sorry, I couldn't get that information right now. Please try again later.");
            assertThat(driver.session(ProcessorDriver.CONVERSATION).toByteBuffer().remaining()).isLessThan(2_000);
            assertThat(driver.counter("parley.results.too.large", "connector", "shop-api", "operation", "getOrder")).isEqualTo(2);
        }
    }

    @Test
    void theIntentsErrorReplyForResponseTooLargeIsUsed() {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/large-answers.yaml")) {
            driver.say("compare");
            List<BackendRequest> calls = driver.requests();

            driver.answer(calls.get(0), "{\"status\":\"" + BIG + "\"}");
            driver.answer(calls.get(1), "{\"status\":\"" + BIG + "\"}");

            assertThat(driver.reply().getText()).isEqualTo("That answer is too large for me to use.");
        }
    }

    @Test
    void aTurnThatWouldMakeTheSessionTooLargeEndsWithAnErrorReplyAndTheSessionKeepsWhatItHad() throws Exception {
        // Given results of up to 300 KiB each, and sessions of up to 400 KiB
        Limits limits = new Limits(300 << 10, 400 << 10, 64 << 10, 4_000, 2_000, 256 << 10,
                Duration.ofSeconds(2), Duration.ofSeconds(60));
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.limits(limits), "flows/large-answers.yaml")) {
            driver.say("chain");
            List<BackendRequest> calls = driver.requests();
            String answer = "{\"id\":\"3\",\"blob\":\"" + "y".repeat(250_000) + "\"}";

            // When two answers of 250 kB come, each within its cap but together beyond the session's,
            // and the turn would go on to its next step with both kept
            driver.answer(calls.get(0), answer);
            driver.answer(calls.get(1), answer);

            // Then the turn ends with an error reply, the session is stored without it, and it is counted
            ChatReply reply = driver.reply();
            assertThat(reply.getKind()).isEqualTo(ReplyKind.ERROR);
            assertThat(driver.requests()).as("the next step's request is taken back").isEmpty();
            Session session = driver.session(ProcessorDriver.CONVERSATION);
            assertThat(session.getTurn()).isNull();
            assertThat(session.toByteBuffer().remaining()).isLessThan(400 << 10);
            assertThat(driver.counter("parley.sessions.too.large")).isEqualTo(1);
            assertThat(driver.audit()).filteredOn(a -> a.getKind() == AuditKind.ERROR).singleElement()
                    .satisfies(error -> assertThat(error.getAttributes().get("reason"))
                            .isEqualTo("the session would be larger than limits.maxSessionBytes (409600 bytes)"));

            // And the conversation goes on
            driver.say("compare");
            assertThat(driver.requests()).hasSize(2);
        }
    }

    @Test
    void repliesAndAuditTextsAreCutAtTheirLimits() {
        Limits limits = new Limits(300 << 10, 1 << 20, 64 << 10, 1_000, 500, 256 << 10,
                Duration.ofSeconds(2), Duration.ofSeconds(60));
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.limits(limits), "flows/large-answers.yaml")) {
            driver.say("dump");
            List<BackendRequest> calls = driver.requests();
            driver.answer(calls.get(0), "{\"blob\":\"" + "a".repeat(20_000) + "\"}");
            driver.answer(calls.get(1), "{\"blob\":\"b\"}");

            ChatReply reply = driver.reply();
            assertThat(reply.getText()).hasSize(1_000).startsWith("aaa").endsWith("…");
            List<AuditEvent> replies = driver.audit().stream().filter(a -> a.getKind() == AuditKind.REPLY).toList();
            assertThat(replies).singleElement().satisfies(audit -> assertThat(audit.getText()).hasSize(500).endsWith("…"));
        }
    }
}
