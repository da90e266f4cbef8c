package io.parley.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.topology.PartitionWatch.Move;
import org.junit.jupiter.api.Test;

class PartitionWatchTest {

    private final PartitionWatch watch = new PartitionWatch(100);

    @Test
    void anEventOfTheSameConversationOnAnotherPartitionIsAMove() {
        // Given alice's conversation seen on partition 2 through the web channel
        watch.observe("alice", "conv-1", "web", 2);

        // When its next event comes from partition 5, Then that is a move, the first of the conversation
        assertThat(watch.observe("alice", "conv-1", "python", 5)).contains(new Move(2, 5, "web", "python", true));
        // And moving back is a move too, but no longer the first
        assertThat(watch.observe("alice", "conv-1", "web", 2)).contains(new Move(5, 2, "python", "web", false));
    }

    @Test
    void eventsOnTheSamePartitionAreNoMove() {
        watch.observe("alice", "conv-1", "web", 2);

        assertThat(watch.observe("alice", "conv-1", "web", 2)).isEmpty();
    }

    @Test
    void anotherConversationOnAnotherPartitionIsNoMove() {
        watch.observe("alice", "conv-1", "web", 2);

        assertThat(watch.observe("alice", "conv-2", "python", 5)).isEmpty();
        assertThat(watch.observe("bob", "conv-1", "web", 4)).isEmpty();
    }

    @Test
    void anErasedUserIsForgotten() {
        watch.observe("alice", "conv-1", "web", 2);

        watch.forget("alice");

        assertThat(watch.observe("alice", "conv-1", "python", 5)).isEmpty();
    }

    @Test
    void theLeastRecentlySeenUserIsForgottenBeyondTheCapacity() {
        PartitionWatch small = new PartitionWatch(2);
        small.observe("alice", "conv-a", "web", 1);
        small.observe("bob", "conv-b", "web", 1);
        small.observe("alice", "conv-a", "web", 1);

        small.observe("carol", "conv-c", "web", 1);

        assertThat(small.observe("alice", "conv-a", "web", 3)).as("alice, seen since bob, is remembered").isPresent();
        assertThat(small.observe("bob", "conv-b", "web", 3)).as("bob is forgotten").isEmpty();
    }

    @Test
    void channelNamesAreLoggedWithoutControlCharacters() {
        assertThat(ConversationPartitionCheck.printable("web\n12:00 WARN forged")).isEqualTo("web?12:00 WARN forged");
    }
}
