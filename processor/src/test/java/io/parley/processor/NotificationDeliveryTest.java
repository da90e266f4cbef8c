package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.InputLimits;
import io.parley.processor.topology.StoreNames;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Notification;
import io.parley.schemas.ReplyKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour 10: notifications reach known users on their channel, once; the rest is audited. */
class NotificationDeliveryTest {

    @Test
    void knownUserGetsTheNotificationOnTheirChannelTopic() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.replyRoute("web", "chat.replies.web"),
                "flows/demo-shop.yaml")) {
            driver.say("tell me a joke");
            driver.replies("chat.replies.web");
            driver.audit();

            driver.notify("n-1", ProcessorDriver.USER, "Your order 1001 has shipped.", null);

            List<ChatReply> delivered = driver.replies("chat.replies.web");
            assertThat(delivered).singleElement().satisfies(reply -> {
                assertThat(reply.getKind()).isEqualTo(ReplyKind.NOTIFICATION);
                assertThat(reply.getText()).isEqualTo("Your order 1001 has shipped.");
                assertThat(reply.getConversationId()).isEqualTo(ProcessorDriver.CONVERSATION);
                assertThat(reply.getReplyId()).isEqualTo("n-1/notification");
            });
            assertThat(driver.auditKinds()).containsExactly(AuditKind.NOTIFICATION);
        }
    }

    @Test
    void unknownUserIsAuditedUndeliverable() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.notify("n-1", "nobody", "Hello?", null);

            assertThat(driver.replies()).isEmpty();
            List<AuditEvent> audit = driver.audit();
            assertThat(audit).singleElement().satisfies(event -> {
                assertThat(event.getKind()).isEqualTo(AuditKind.UNDELIVERABLE);
                assertThat(event.getConversationId()).isNull();
                assertThat(event.getEventId()).isEqualTo("n-1");
            });
        }
    }

    @Test
    void expiredNotificationIsDroppedAndAudited() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("tell me a joke");
            driver.replies();
            driver.audit();
            driver.advance(Duration.ofMinutes(1));

            driver.notify("n-1", ProcessorDriver.USER, "Flash sale ends soon!", driver.now().minusSeconds(1));

            assertThat(driver.replies()).isEmpty();
            assertThat(driver.auditKinds()).containsExactly(AuditKind.EXPIRED);
        }
    }

    @Test
    void sameNotificationIdIsDeliveredOnce() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("tell me a joke");
            driver.replies();
            driver.audit();

            driver.notify("n-1", ProcessorDriver.USER, "Your order 1001 has shipped.", null);
            driver.notify("n-1", ProcessorDriver.USER, "Your order 1001 has shipped.", null);

            assertThat(driver.replies()).hasSize(1);
            assertThat(driver.auditKinds()).containsExactly(AuditKind.NOTIFICATION, AuditKind.DUPLICATE);
        }
    }

    @Test
    void notificationTemplateIsRenderedWithItsData() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("tell me a joke");
            driver.replies();

            driver.notify(Notification.newBuilder()
                    .setNotificationId("n-2")
                    .setUserId(ProcessorDriver.USER)
                    .setTemplate("Order {{orderId}} ships today, {{user.id}}.")
                    .setData(Map.of("orderId", "1001"))
                    .setCreatedAt(driver.now())
                    .build());

            ChatReply reply = driver.reply();
            assertThat(reply.getText()).isEqualTo("Order 1001 ships today, alice.");
            assertThat(reply.getData()).containsEntry("orderId", "1001");
        }
    }

    @Test
    void notificationThatCannotBeRenderedGoesToTheDeadLetterTopicAndTheNextIsDelivered() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("tell me a joke");
            driver.replies();

            driver.notify(Notification.newBuilder().setNotificationId("n-broken").setUserId(ProcessorDriver.USER)
                    .setCreatedAt(driver.now()).build());
            driver.notify("n-3", ProcessorDriver.USER, "Your order 1001 has shipped.", null);

            assertThat(driver.deadLetters()).singleElement().satisfies(dead ->
                    assertThat(new String(dead.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
                            .isEqualTo("notification-not-renderable: notification n-broken has neither text nor template"));
            assertThat(driver.replies()).extracting(ChatReply::getReplyId).containsExactly("n-3/notification");
            assertThat(driver.counter("parley.skipped.records", "reason", "notification-not-renderable")).isEqualTo(1);
        }
    }

    @Test
    void notificationTemplateWithSectionsIsRefusedAndTheNextIsDelivered() {
        // Issue 15: 3,000 nested sections (36 kB) compiled as Mustache crash-looped the processor. Such a
        // template is beyond inputs.maxTextLength by default; allowed in size, it is refused as a template.
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.inputs(new InputLimits(256, 100_000, 50, 1_000)),
                "flows/demo-shop.yaml")) {
            driver.say("tell me a joke");
            driver.replies();

            driver.notify(Notification.newBuilder().setNotificationId("n-nested").setUserId(ProcessorDriver.USER)
                    .setTemplate("{{#a}}".repeat(3_000) + "x" + "{{/a}}".repeat(3_000))
                    .setCreatedAt(driver.now()).build());
            driver.notify("n-4", ProcessorDriver.USER, "Your order 1001 has shipped.", null);

            assertThat(driver.deadLetters()).singleElement().satisfies(dead ->
                    assertThat(new String(dead.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
                            .isEqualTo("notification-not-renderable: notification template: '{{' at index 0 is not a plain"
                                    + " placeholder such as {{orderId}}; sections, partials, comments and triple braces are not"
                                    + " supported in notifications"));
            assertThat(driver.replies()).extracting(ChatReply::getReplyId).containsExactly("n-4/notification");
        }
    }

    @Test
    void notificationTemplateFillsDataAndUserPlaceholdersAndIsCut() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("tell me a joke");
            driver.replies();

            driver.notify(Notification.newBuilder().setNotificationId("n-5").setUserId(ProcessorDriver.USER)
                    .setTemplate("{{ data.orderId }} for {{user.id}} on {{user.channel}}{{missing}}: " + "{{long}}".repeat(9))
                    .setData(Map.of("orderId", "1001", "long", "y".repeat(1_000)))
                    .setCreatedAt(driver.now()).build());

            String text = driver.reply().getText();
            assertThat(text).startsWith("1001 for alice on web: yyy").hasSize(4_000).endsWith("…");
        }
    }

    @Test
    void notificationWithAFieldBeyondItsLimitIsRefusedBeforeItIsRepartitioned() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("tell me a joke");
            driver.replies();

            driver.notify(Notification.newBuilder().setNotificationId("n-big").setUserId(ProcessorDriver.USER)
                    .setText("z".repeat(20_000)).setCreatedAt(driver.now()).build());

            assertThat(driver.deadLetters()).singleElement().satisfies(dead ->
                    assertThat(new String(dead.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
                            .isEqualTo("field-too-large: text is 20000 characters long; at most 10000 are accepted (inputs: in processor.yaml)"));
            assertThat(driver.replies()).isEmpty();
            assertThat(driver.internalTopics()).noneMatch(topic -> topic.contains(StoreNames.NOTIFICATIONS_REPARTITION));
        }
    }

    @Test
    void notificationFollowsTheUsersLatestConversation() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("conv-old", ProcessorDriver.USER, "tell me a joke");
            driver.say("conv-new", ProcessorDriver.USER, "tell me a joke");
            driver.replies();

            driver.notify("n-1", ProcessorDriver.USER, "Your order 1001 has shipped.", null);

            assertThat(driver.reply().getConversationId()).isEqualTo("conv-new");
        }
    }
}
