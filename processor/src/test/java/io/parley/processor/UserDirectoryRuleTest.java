package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.ConversationSettings;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.UserContact;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Which conversation a notification reaches (DirectoryRefresh): the one the user started last,
 * or came back to after the quiet time (10 minutes by default), or wrote in from another channel.
 * Chatting on in one conversation does not rewrite the directory.
 */
class UserDirectoryRuleTest {

    private static final String FIRST = "conv-first";
    private static final String SECOND = "conv-second";

    @Test
    void chattingOnInOneConversationLeavesTheDirectoryEntryAsItWas() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            Instant started = driver.say(FIRST, ProcessorDriver.USER, "tell me a joke").getOccurredAt();
            driver.advance(Duration.ofMinutes(1));
            driver.say(FIRST, ProcessorDriver.USER, "tell me a joke");
            driver.advance(Duration.ofMinutes(1));
            driver.say(FIRST, ProcessorDriver.USER, "tell me a joke");

            UserContact contact = driver.contact(ProcessorDriver.USER);
            assertThat(contact.getConversationId()).isEqualTo(FIRST);
            assertThat(contact.getLastSeenAt()).isEqualTo(started);
        }
    }

    @Test
    void aNotificationReachesTheConversationStartedLastEvenWhenTheOtherOneSpokeLast() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say(FIRST, ProcessorDriver.USER, "tell me a joke");
            driver.advance(Duration.ofMinutes(1));
            driver.say(SECOND, ProcessorDriver.USER, "tell me a joke");
            driver.advance(Duration.ofMinutes(1));
            driver.say(FIRST, ProcessorDriver.USER, "tell me a joke");
            driver.replies();

            driver.notify("n-1", ProcessorDriver.USER, "Your order 1001 has shipped.", null);

            assertThat(driver.replies()).singleElement().satisfies(reply -> {
                assertThat(reply.getKind()).isEqualTo(ReplyKind.NOTIFICATION);
                assertThat(reply.getConversationId()).isEqualTo(SECOND);
            });
        }
    }

    @Test
    void aConversationResumedAfterTheQuietTimeTakesTheNotificationsBack() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say(FIRST, ProcessorDriver.USER, "tell me a joke");
            driver.advance(Duration.ofMinutes(1));
            driver.say(SECOND, ProcessorDriver.USER, "tell me a joke");
            driver.advance(Duration.ofMinutes(10));
            driver.say(FIRST, ProcessorDriver.USER, "tell me a joke");
            driver.replies();

            driver.notify("n-1", ProcessorDriver.USER, "Your order 1001 has shipped.", null);

            assertThat(driver.replies()).extracting(ChatReply::getConversationId).containsExactly(FIRST);
        }
    }

    @Test
    void theQuietTimeIsConfigurable() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.conversation(
                withDirectoryRefresh(Duration.ofMinutes(2))), "flows/demo-shop.yaml")) {
            driver.say(FIRST, ProcessorDriver.USER, "tell me a joke");
            driver.advance(Duration.ofMinutes(1));
            driver.say(SECOND, ProcessorDriver.USER, "tell me a joke");
            driver.advance(Duration.ofMinutes(2));
            driver.say(FIRST, ProcessorDriver.USER, "tell me a joke");

            assertThat(driver.contact(ProcessorDriver.USER).getConversationId()).isEqualTo(FIRST);
        }
    }

    @Test
    void writingFromAnotherChannelMovesTheEntryAtOnce() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say(FIRST, ProcessorDriver.USER, "tell me a joke");
            driver.advance(Duration.ofSeconds(5));
            driver.send(driver.event(FIRST, ProcessorDriver.USER, ChatEventType.MESSAGE, "tell me a joke").setChannel("whatsapp"));

            assertThat(driver.contact(ProcessorDriver.USER).getChannel()).isEqualTo("whatsapp");
        }
    }

    @Test
    void anEraseStillRemovesTheUserWhileTheConversationIsActive() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say(FIRST, ProcessorDriver.USER, "tell me a joke");
            driver.advance(Duration.ofSeconds(5));

            driver.erase(FIRST, ProcessorDriver.USER);

            assertThat(driver.contact(ProcessorDriver.USER)).isNull();
        }
    }

    private static ConversationSettings withDirectoryRefresh(Duration refresh) {
        ConversationSettings d = ConversationSettings.DEFAULTS;
        return new ConversationSettings(d.interimAfter(), d.deadline(), d.lateReply(), d.sessionTtl(),
                d.dedupeWindow(), d.punctuationInterval(), d.lateAnswerWindow(), refresh, d.sessionCache());
    }
}
