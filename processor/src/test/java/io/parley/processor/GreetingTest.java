package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendStatus;
import java.util.Map;
import io.parley.schemas.ChatEventType;
import org.junit.jupiter.api.Test;

/** The shipped greeting: a session start loads the customer's profile and greets them by name. */
class GreetingTest {

    @Test
    void sessionStartLoadsTheProfileAndGreetsByName() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.sessionStart();

            BackendRequest profile = driver.request();
            assertThat(profile.getConnector()).isEqualTo("shop-db");
            assertThat(profile.getOperation()).isEqualTo("getCustomerProfile");
            assertThat(profile.getParams()).isEqualTo(Map.of("customerId", ProcessorDriver.USER));

            driver.answer(profile, DemoResults.PROFILE_ALICE);

            assertThat(driver.reply().getText()).isEqualTo("Hi Alice! How can I help you today?");
            assertThat(driver.session(ProcessorDriver.CONVERSATION).getProfile()).containsEntry("name", "Alice");
        }
    }

    @Test
    void unknownCustomerIsGreetedWithoutAName() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.sessionStart();

            driver.answer(driver.request(), BackendStatus.NOT_FOUND, null);

            assertThat(driver.reply().getText()).isEqualTo("Hi! How can I help you today?");
        }
    }

    @Test
    void anotherUserInTheSameConversationDoesNotSeeTheFirstUsersProfile() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.sharedConversations("group"), "flows/demo-shop.yaml")) {
            driver.sessionStart();
            driver.answer(driver.request(), DemoResults.PROFILE_ALICE);

            // On a channel that shares conversations; elsewhere the event is refused (ConversationTakeoverTest)
            driver.send(driver.event(ProcessorDriver.CONVERSATION, "mallory", ChatEventType.MESSAGE, "tell me a joke")
                    .setChannel("group"));

            assertThat(driver.session(ProcessorDriver.CONVERSATION).getProfile()).isEmpty();
            assertThat(driver.session(ProcessorDriver.CONVERSATION).getUserId()).isEqualTo("mallory");
        }
    }
}
