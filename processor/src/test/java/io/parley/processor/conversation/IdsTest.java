package io.parley.processor.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void theSameEventIdInTwoConversationsGivesTwoRequestIds() {
        assertThat(Ids.request("conv-alice", "evt-1", 0, 0)).isNotEqualTo(Ids.request("conv-bob", "evt-1", 0, 0));
        assertThat(Ids.classification("conv-alice", "evt-1")).isNotEqualTo(Ids.classification("conv-bob", "evt-1"));
    }

    @Test
    void theSameEventInOneConversationGivesTheSameIds() {
        assertThat(Ids.request("conv-bob", "evt-1", 1, 2)).isEqualTo(Ids.request("conv-bob", "evt-1", 1, 2));
        assertThat(Ids.request("conv-bob", "evt-1", 1, 2)).isNotEqualTo(Ids.request("conv-bob", "evt-1", 1, 3));
    }

    @Test
    void separatorsInIdsCannotMakeTwoPairsCollide() {
        assertThat(Ids.scoped("a/b", "c")).isNotEqualTo(Ids.scoped("a", "b/c"));
        assertThat(Ids.scoped("ab", "")).isNotEqualTo(Ids.scoped("a", "b"));
    }

    @Test
    void scopedIdsHaveAFixedLengthWhateverTheInput() {
        String huge = "x".repeat(600_000);

        assertThat(Ids.scoped(huge, huge)).hasSize(Ids.SCOPED_LENGTH).matches("[A-Za-z0-9_-]+");
        assertThat(Ids.request(huge, huge, 99, 99)).hasSizeLessThan(Ids.SCOPED_LENGTH + 16);
    }

    @Test
    void anIdAskedForAgainIsTheOneComputedAndItsOwnPairOnly() {
        String alice = Ids.scoped("conv-alice", "evt-1");

        assertThat(Ids.scoped("conv-alice", "evt-1")).as("again, kept by the thread").isEqualTo(alice);
        assertThat(Ids.scoped("conv-bob", "evt-1")).as("same event id, other conversation").isNotEqualTo(alice);
        assertThat(Ids.scoped("conv-alice", "evt-2")).as("same conversation, other event").isNotEqualTo(alice);
        assertThat(Ids.scoped("conv-alice", "evt-1")).as("after others").isEqualTo(alice)
                .as("SHA-256 of the length-prefixed pair").isEqualTo("oKHqfrlwFkl2PAEx5vcrv_zpAIBSbJ8ejDnEbdKxQ3A");
    }
}
