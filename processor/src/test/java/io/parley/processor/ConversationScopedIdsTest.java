package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.ConversationSettings;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.Session;
import java.util.List;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/** Issue 15, item 2: event ids are chosen by clients; two conversations may carry the same one. */
class ConversationScopedIdsTest {

    @Test
    void theSameEventIdInTwoConversationsIsTwoEventsWithTwoRequestIds() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            // Given alice's message handled
            driver.send(driver.event("conv-alice", "alice", ChatEventType.MESSAGE, "where is my order 1001").setEventId("evt-same"));
            BackendRequest alices = driver.request();

            // When bob's message carries the same event id in his own conversation
            driver.send(driver.event("conv-bob", "bob", ChatEventType.MESSAGE, "where is my order 2002").setEventId("evt-same"));

            // Then it is not taken for a duplicate, and its call has its own idempotency key
            BackendRequest bobs = driver.request();
            assertThat(bobs.getConversationId()).isEqualTo("conv-bob");
            assertThat(bobs.getRequestId()).isNotEqualTo(alices.getRequestId());
            assertThat(driver.counter("parley.duplicates", "what", "event")).isZero();
            List<ChatReply> replies = driver.replies();
            assertThat(replies).extracting(ChatReply::getReplyId).doesNotHaveDuplicates();
            assertThat(driver.audit()).extracting(AuditEvent::getAuditId).doesNotHaveDuplicates();
        }
    }

    @Test
    void aRedeliveryWithinOneConversationIsStillADuplicate() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            ChatEvent question = driver.say("where is my order 1001");
            driver.request();
            driver.audit();

            driver.send(question);

            assertThat(driver.requests()).isEmpty();
            assertThat(driver.auditKinds()).containsExactly(AuditKind.DUPLICATE);
        }
    }

    @Test
    void anEventRememberedBeforeIdsWereScopedIsStillADuplicateOfItsOwnConversationOnly() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            // Given a turn under way, and its event id remembered the way it was before (bare)
            ChatEvent question = driver.say("where is my order 1001");
            driver.request();
            driver.audit();
            WindowStore<String, Long> eventIds = driver.windowStore("event-ids");
            long at = ProcessorDriver.START.toEpochMilli();
            eventIds.put(question.getEventId(), at, at);
            eventIds.put("evt-legacy-elsewhere", at, at);

            // When it is delivered again, and another conversation uses the other remembered id
            driver.send(question);
            driver.send(driver.event("conv-bob", "bob", ChatEventType.MESSAGE, "where is my order 2002")
                    .setEventId("evt-legacy-elsewhere"));

            // Then the first is a duplicate, the second is bob's new event
            assertThat(driver.requests()).singleElement().satisfies(request ->
                    assertThat(request.getConversationId()).isEqualTo("conv-bob"));
            assertThat(driver.counter("parley.duplicates", "what", "event")).isEqualTo(1);
        }
    }

    @Test
    void aPendingCallIssuedBeforeIdsWereScopedStillMatchesItsAnswer() {
        // The session is rewritten in the store behind the processor's back, as an older version left it; a processor
        // started on such a store reads it from there, so none is kept in memory here.
        ConversationSettings d = ConversationSettings.DEFAULTS;
        ConversationSettings noSessionCache = new ConversationSettings(d.interimAfter(), d.deadline(), d.lateReply(), d.sessionTtl(),
                d.dedupeWindow(), d.punctuationInterval(), d.lateAnswerWindow(), d.directoryRefresh(), 0);
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.conversation(noSessionCache), "flows/demo-shop.yaml")) {
            // Given a session stored with a request id in the former format (event id, step, call)
            ChatEvent question = driver.say("where is my order 1001");
            BackendRequest request = driver.request();
            Session stored = driver.session(ProcessorDriver.CONVERSATION);
            String former = question.getEventId() + "/s0/c0";
            stored.getTurn().getPending().get(0).setRequestId(former);
            driver.sessions().put(ProcessorDriver.CONVERSATION, stored);

            // When the worker answers that request
            request.setRequestId(former);
            driver.answer(request, DemoResults.ORDER_1001);

            // Then the answer completes the turn
            assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.ANSWER);
            assertThat(driver.session(ProcessorDriver.CONVERSATION).getTurn()).isNull();
        }
    }
}
