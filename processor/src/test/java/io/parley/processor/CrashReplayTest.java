package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.conversation.Ids;
import io.parley.processor.topology.StoreNames;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.Session;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/**
 * What a task's successor does with the chat events it reads again after a crash under
 * at-least-once, with the stores as their changelogs had them. The event-id store is written
 * through, the sessions and deadlines stores at the commit (the record cache), so the successor
 * can find an event's id without its session knowing the event, or a session waiting for an answer
 * without its deadline entries. Each test builds that state in a fresh driver, then reads the same
 * record again (the first record of {@code chat.events}: offset 0, as when it was first read).
 */
class CrashReplayTest {

    private static final long FIRST_OFFSET = 0;
    private static final Consumer<ProcessorConfig.Builder> AT_LEAST_ONCE =
            builder -> builder.kafka("processing.guarantee", "at_least_once");

    @Test
    void anEventWhoseIdReachedTheChangelogButNotItsSessionIsAppliedWhenReadAgain() {
        try (ProcessorDriver successor = ProcessorDriver.with(AT_LEAST_ONCE, "flows/demo-shop.yaml")) {
            // Given the id of an event read at offset 0, and no session that knows it
            ChatEvent question = successor.event(ProcessorDriver.CONVERSATION, ProcessorDriver.USER,
                    ChatEventType.MESSAGE, "where is my order 1001").build();
            remember(successor, question, FIRST_OFFSET);

            // When the same record is read again
            successor.send(question);

            // Then the turn runs: the order is asked for, no duplicate is reported
            assertThat(successor.requests()).hasSize(1);
            assertThat(successor.auditKinds()).doesNotContain(AuditKind.DUPLICATE);
            assertThat(successor.session(ProcessorDriver.CONVERSATION).getLastEventOffset()).isEqualTo(FIRST_OFFSET);
        }
    }

    @Test
    void theSameIdAtAnotherOffsetIsStillARedelivery() {
        try (ProcessorDriver successor = ProcessorDriver.with(AT_LEAST_ONCE, "flows/demo-shop.yaml")) {
            ChatEvent question = successor.event(ProcessorDriver.CONVERSATION, ProcessorDriver.USER,
                    ChatEventType.MESSAGE, "where is my order 1001").build();
            remember(successor, question, 41);

            successor.send(question);

            assertThat(successor.requests()).isEmpty();
            assertThat(successor.auditKinds()).containsExactly(AuditKind.DUPLICATE);
        }
    }

    @Test
    void anEventWhoseSessionReachedTheChangelogIsDroppedAndItsTurnStillTimesOut() {
        // Given a session waiting for the order lookup of the event read at offset 0, as the dead instance wrote it
        ChatEvent question;
        Session waiting;
        try (ProcessorDriver dead = ProcessorDriver.with(AT_LEAST_ONCE, "flows/demo-shop.yaml")) {
            question = dead.say("where is my order 1001");
            assertThat(dead.requests()).hasSize(1);
            waiting = dead.session(ProcessorDriver.CONVERSATION);
        }
        assertThat(waiting.getLastEventOffset()).isEqualTo(FIRST_OFFSET);
        try (ProcessorDriver successor = ProcessorDriver.with(AT_LEAST_ONCE, "flows/demo-shop.yaml")) {
            // restored with the event's id but without the session's deadline entries
            successor.sessions().put(ProcessorDriver.CONVERSATION, waiting);
            remember(successor, question, FIRST_OFFSET);

            // When the same record is read again
            successor.send(question);

            // Then it is not applied a second time
            assertThat(successor.requests()).isEmpty();
            assertThat(successor.auditKinds()).containsExactly(AuditKind.DUPLICATE);
            // and the turn, whose answer never comes, still ends with the fallback: its deadline entries are back
            successor.advance(Duration.ofSeconds(9));
            assertThat(successor.replies()).extracting(ChatReply::getKind).contains(ReplyKind.FALLBACK);
        }
    }

    private static void remember(ProcessorDriver driver, ChatEvent event, long offset) {
        WindowStore<String, Long> eventIds = driver.windowStore(StoreNames.EVENT_IDS);
        eventIds.put(Ids.scoped(event.getConversationId(), event.getEventId()), offset, driver.now().toEpochMilli());
    }
}
