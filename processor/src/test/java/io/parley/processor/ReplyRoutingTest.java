package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import org.junit.jupiter.api.Test;

/** Behaviour 11: replies go to the topic configured for their channel, or to the default topic. */
class ReplyRoutingTest {

    @Test
    void repliesAreRoutedByChannel() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config
                .replyRoute("web", "chat.replies.web")
                .replyRoute("iot", "notifications.iot"), "flows/demo-shop.yaml")) {
            driver.send(driver.event("c-web", "u1", ChatEventType.MESSAGE, "tell me a joke").setChannel("web"));
            driver.send(driver.event("c-iot", "u2", ChatEventType.MESSAGE, "tell me a joke").setChannel("iot"));
            driver.send(driver.event("c-wa", "u3", ChatEventType.MESSAGE, "tell me a joke").setChannel("whatsapp"));

            assertThat(driver.replies("chat.replies.web")).extracting(ChatReply::getConversationId).containsExactly("c-web");
            assertThat(driver.replies("notifications.iot")).extracting(ChatReply::getConversationId).containsExactly("c-iot");
            assertThat(driver.replies("chat.replies")).extracting(ChatReply::getConversationId).containsExactly("c-wa");
        }
    }
}
