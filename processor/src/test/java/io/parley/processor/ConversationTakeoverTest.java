package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.conversation.SessionOwnership;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.Session;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Issue 15, item 1: a session belongs to the user who started it. */
class ConversationTakeoverTest {

    private static final String BOB = "bob";
    private static final String ALICE = "alice";
    private static final String BOBS = "conv-bob";

    @Test
    void anotherUsersMessageIsRefusedAuditedCountedAndLeavesTheSessionUntouched() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            // Given bob waiting for his order's status
            driver.say(BOBS, BOB, "where is my order 1001");
            BackendRequest bobsCall = driver.request();
            Session before = driver.session(BOBS);
            driver.audit();
            driver.replies();

            // When alice sends a message with bob's conversation id
            driver.say(BOBS, ALICE, "where is my order 2002");

            // Then nothing of bob's changed, alice got nothing, and the refusal is on record three ways
            assertThat(driver.session(BOBS)).isEqualTo(before);
            assertThat(driver.requests()).isEmpty();
            assertThat(driver.replies()).isEmpty();
            List<AuditEvent> audit = driver.audit();
            assertThat(audit).singleElement().satisfies(security -> {
                assertThat(security.getKind()).isEqualTo(AuditKind.SECURITY);
                assertThat(security.getUserRef()).isEqualTo(ALICE);
                assertThat(security.getConversationId()).isEqualTo(BOBS);
                assertThat(security.getText()).isNull();
                assertThat(security.getAttributes().get("reason")).contains("belongs to another user");
            });
            assertThat(driver.deadLetters()).singleElement().satisfies(record ->
                    assertThat(header(record, "__streams.errors.message")).startsWith(SessionOwnership.REFUSED + ": ")
                            .doesNotContain(ALICE).doesNotContain(BOB).doesNotContain("2002"));
            assertThat(driver.counter("parley.skipped.records", "reason", SessionOwnership.REFUSED)).isEqualTo(1);

            // And bob's pending turn still completes for bob
            driver.answer(bobsCall, DemoResults.ORDER_1001);
            ChatReply answer = driver.reply();
            assertThat(answer.getUserId()).isEqualTo(BOB);
            assertThat(answer.getKind()).isEqualTo(ReplyKind.ANSWER);
        }
    }

    @Test
    void anotherUsersEraseErasesNothingOfTheOwners() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            // Given bob's conversation with a pending call, and bob in the user directory
            driver.say(BOBS, BOB, "where is my order 1001");
            Session before = driver.session(BOBS);
            driver.audit();
            driver.replies();

            // When alice asks to erase bob's conversation
            driver.erase(BOBS, ALICE);

            // Then bob's session and directory entry are there, and the ERASE is refused and audited
            assertThat(driver.session(BOBS)).isEqualTo(before);
            assertThat(driver.contact(BOB)).isNotNull();
            assertThat(driver.contact(BOB).getConversationId()).isEqualTo(BOBS);
            assertThat(driver.replies()).isEmpty();
            assertThat(driver.auditKinds()).containsExactly(AuditKind.SECURITY);
            assertThat(driver.deadLetters()).hasSize(1);
            assertThat(driver.counter("parley.skipped.records", "reason", SessionOwnership.REFUSED)).isEqualTo(1);
        }
    }

    @Test
    void theOwnersEraseStillErases() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say(BOBS, BOB, "where is my order 1001");

            driver.erase(BOBS, BOB);

            assertThat(driver.session(BOBS)).isNull();
            assertThat(driver.contact(BOB)).isNull();
            assertThat(driver.deadLetters()).isEmpty();
        }
    }

    @Test
    void aRefusedEventDoesNotPointItsUsersNotificationsAtTheOtherConversation() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            // Given alice and bob, each in their own conversation
            driver.say("conv-alice", ALICE, "hello");
            driver.say(BOBS, BOB, "hello");
            driver.replies();

            // When alice sends an event with bob's conversation id
            driver.say(BOBS, ALICE, "hello");

            // Then alice's notifications still go to her own conversation, never into bob's
            assertThat(driver.contact(ALICE).getConversationId()).isEqualTo("conv-alice");
            driver.notify("n-1", ALICE, "Your order 2002 has shipped.", null);
            assertThat(driver.reply().getConversationId()).isEqualTo("conv-alice");
        }
    }

    @Test
    void aChannelThatSharesConversationsLetsAnotherUserContinueButNotErase() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.sharedConversations("agent-desk"),
                "flows/demo-shop.yaml")) {
            // Given bob's conversation on the web
            driver.say(BOBS, BOB, "where is my order 1001");
            driver.replies();
            driver.request();

            // When an agent on the shared channel writes in it
            driver.send(driver.event(BOBS, "agent-7", ChatEventType.MESSAGE, "hello").setChannel("agent-desk"));

            // Then the agent is served in a session of their own (not bob's profile or slots)
            assertThat(driver.deadLetters()).isEmpty();
            assertThat(driver.session(BOBS).getUserId()).isEqualTo("agent-7");
            assertThat(driver.session(BOBS).getProfile()).isEmpty();
            assertThat(driver.session(BOBS).getTurn().getSlots()).isEmpty();
            assertThat(driver.request().getUserId()).isEqualTo("agent-7");

            // And an ERASE from bob, who no longer holds the session, erases nothing of the agent's
            driver.erase(BOBS, BOB);
            assertThat(driver.session(BOBS)).isNotNull();
            assertThat(driver.counter("parley.skipped.records", "reason", SessionOwnership.REFUSED)).isEqualTo(1);
        }
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
