package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.state.UserContact;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 4: events of one conversation that arrive on different partitions (producers with
 * different partitioners) are noticed where all of a user's events meet, counted, and reported
 * once per conversation with the fix.
 */
class ConversationPartitionsTest {

    private static final String MOVES = "parley.conversation.partition.moves";

    @Test
    void theDirectoryKeepsThePartitionAnEventCameFrom() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("hello");

            assertThat(driver.contact(ProcessorDriver.USER).getPartition()).isZero();
        }
    }

    @Test
    void eventsOfOneConversationFromTwoPartitionsAreCountedAndReportedOnce() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop();
             LogCapture log = LogCapture.of("io.parley.processor.topology")) {
            // Given alice's conversation, written by a Java web channel to partition 2
            driver.contactArrives("alice", contact("conv-split-1", "web", 2));

            // When a Python bridge writes the same conversation to partition 5, and the web channel again to 2
            driver.contactArrives("alice", contact("conv-split-1", "python", 5));
            driver.contactArrives("alice", contact("conv-split-1", "web", 2));

            // Then both moves are counted, and one WARN names the partitions, the channels and the fix
            assertThat(driver.counter(MOVES)).isEqualTo(2);
            assertThat(log.warnings()).singleElement().asString()
                    .contains("different partitions of chat.events")
                    .contains("partition 2 (channel 'web')")
                    .contains("partition 5 (channel 'python')")
                    .contains("partitioner=murmur2_random")
                    .contains("Writing a channel")
                    // And neither the conversation nor the user is named in the log
                    .doesNotContain("conv-split-1")
                    .doesNotContain("alice");
            // And the directory still points at the conversation
            assertThat(driver.contact("alice").getConversationId()).isEqualTo("conv-split-1");
        }
    }

    @Test
    void aUserMovingOnToAnotherConversationOnAnotherPartitionIsNoMove() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop();
             LogCapture log = LogCapture.of("io.parley.processor.topology")) {
            driver.contactArrives("alice", contact("conv-a", "web", 2));

            driver.contactArrives("alice", contact("conv-b", "whatsapp", 5));

            assertThat(driver.counter(MOVES)).isZero();
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void anEraseMakesTheWatchForgetTheUser() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.contactArrives("alice", contact("conv-a", "web", 2));

            driver.contactArrives("alice", null);
            driver.contactArrives("alice", contact("conv-a", "web", 5));

            assertThat(driver.counter(MOVES)).isZero();
        }
    }

    private static UserContact contact(String conversationId, String channel, int partition) {
        return UserContact.newBuilder().setUserId("alice").setConversationId(conversationId).setChannel(channel)
                .setLastSeenAt(ProcessorDriver.START).setPartition(partition).build();
    }
}
