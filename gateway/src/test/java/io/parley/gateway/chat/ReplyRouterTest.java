package io.parley.gateway.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.gateway.MutableClock;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplyRouterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final ReplyRouter router = new ReplyRouter(3, 100, 1_000, Duration.ofMinutes(15), 2, clock);

    @Test
    void reconnectingBrowserGetsTheRepliesAfterItsLastOneInOrderWithoutDuplicates() {
        // Given three replies while the browser was away, the first of which it had shown
        router.deliver(reply("r1", "c1", "alice", ReplyKind.ANSWER, "one"));
        router.deliver(reply("r2", "c1", "alice", ReplyKind.ANSWER, "two"));
        router.deliver(reply("r3", "c1", "alice", ReplyKind.ANSWER, "three"));
        router.deliver(reply("r2", "c1", "alice", ReplyKind.ANSWER, "two")); // redelivered by Kafka
        // When it reconnects with r1 as its last reply, then a new reply arrives
        RecordingConnection tab = new RecordingConnection();
        assertThat(router.attach(tab, "c1", "alice", "r1")).isTrue();
        router.deliver(reply("r4", "c1", "alice", ReplyKind.ANSWER, "four"));
        // Then it sees what it missed, then the new one, once each
        assertThat(tab.replyTexts()).containsExactly("two", "three", "four");
    }

    @Test
    void bufferKeepsOnlyTheLastRepliesPerConversationAndDropsOldOnes() {
        for (int i = 1; i <= 5; i++) {
            router.deliver(reply("r" + i, "c1", "alice", ReplyKind.ANSWER, "m" + i));
        }
        assertThat(router.held("c1")).extracting(ChatReply::getText).containsExactly("m3", "m4", "m5");
        clock.advance(Duration.ofMinutes(16));
        assertThat(router.held("c1")).isEmpty();
    }

    @Test
    void theBufferHoldsAtMostBufferedRepliesInAllDroppingTheOldestOfTheLeastRecentConversation() {
        // Given a router that keeps 10 replies per conversation but 4 in all, holding 2 of each of two conversations
        ReplyRouter small = new ReplyRouter(10, 100, 4, Duration.ofMinutes(15), 2, clock);
        small.deliver(reply("a1", "c1", "alice", ReplyKind.ANSWER, "a1"));
        small.deliver(reply("a2", "c1", "alice", ReplyKind.ANSWER, "a2"));
        small.deliver(reply("b1", "c2", "bob", ReplyKind.ANSWER, "b1"));
        small.deliver(reply("b2", "c2", "bob", ReplyKind.ANSWER, "b2"));

        // When a fifth and a sixth reply arrive for the more recent conversation
        small.deliver(reply("b3", "c2", "bob", ReplyKind.ANSWER, "b3"));
        small.deliver(reply("b4", "c2", "bob", ReplyKind.ANSWER, "b4"));

        // Then the least recently active conversation lost its replies, oldest first, and 4 are held in all
        assertThat(small.heldReplies()).isEqualTo(4);
        assertThat(small.held("c1")).isEmpty();
        assertThat(small.held("c2")).extracting(ChatReply::getText).containsExactly("b1", "b2", "b3", "b4");
        // And when the first conversation is active again, the other one is now the least recent
        small.deliver(reply("a3", "c1", "alice", ReplyKind.ANSWER, "a3"));
        assertThat(small.held("c1")).extracting(ChatReply::getText).containsExactly("a3");
        assertThat(small.held("c2")).extracting(ChatReply::getText).containsExactly("b2", "b3", "b4");
        assertThat(small.heldReplies()).isEqualTo(4);
    }

    @Test
    void notificationReachesEveryTabOfTheUserAndRepliesOnlyTheConversation() {
        RecordingConnection tab1 = new RecordingConnection();
        RecordingConnection tab2 = new RecordingConnection();
        router.attach(tab1, "c1", "alice", null);
        router.attach(tab2, "c2", "alice", null);
        router.deliver(reply("a1", "c1", "alice", ReplyKind.ANSWER, "answer"));
        router.deliver(reply("n1", "c1", "alice", ReplyKind.NOTIFICATION, "your parcel shipped"));
        assertThat(tab1.replyTexts()).containsExactly("answer", "your parcel shipped");
        assertThat(tab2.replyTexts()).containsExactly("your parcel shipped");
    }

    @Test
    void replyForAnotherUserIsNotSentEvenOnTheSameConversationId() {
        RecordingConnection mallory = new RecordingConnection();
        router.attach(mallory, "c1", "mallory", null);
        router.deliver(reply("a1", "c1", "alice", ReplyKind.ANSWER, "alice's order"));
        assertThat(mallory.replyTexts()).isEmpty();
    }

    @Test
    void connectionsPerUserAreLimitedAndAClosedOneFreesItsPlace() {
        RecordingConnection a = new RecordingConnection();
        RecordingConnection b = new RecordingConnection();
        assertThat(router.attach(a, "c1", "alice", null)).isTrue();
        assertThat(router.attach(b, "c1", "alice", null)).isTrue();
        assertThat(router.attach(new RecordingConnection(), "c1", "alice", null)).isFalse();
        router.detach(a, "c1", "alice");
        assertThat(router.attach(new RecordingConnection(), "c1", "alice", null)).isTrue();
        assertThat(router.connections()).isEqualTo(2);
    }

    private ChatReply reply(String id, String conversation, String user, ReplyKind kind, String text) {
        return ChatReply.newBuilder().setReplyId(id).setConversationId(conversation).setUserId(user).setChannel("web")
                .setKind(kind).setText(text).setQuickReplies(List.of()).setData(Map.of()).setCreatedAt(clock.instant())
                .build();
    }
}
