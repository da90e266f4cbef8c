package io.parley.processor;

import io.parley.processor.conversation.Ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour 4: a later step is issued only after the earlier one answered, with a parameter from its result. */
class ChainedCallsTest {

    private final ProcessorDriver driver = ProcessorDriver.demoShop();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shipmentIsLookedUpOnlyAfterTheOrderAnswered() {
        ChatEvent question = driver.say("track my order 1001");

        BackendRequest order = driver.request();
        assertThat(order.getOperation()).isEqualTo("getOrder");
        assertThat(driver.requests()).isEmpty();

        driver.answer(order, DemoResults.ORDER_1001);

        BackendRequest shipment = driver.request();
        assertThat(shipment.getConnector()).isEqualTo("shop-db");
        assertThat(shipment.getOperation()).isEqualTo("getShipment");
        assertThat(shipment.getParams()).isEqualTo(Map.of("trackingId", "TRK-1001"));
        assertThat(shipment.getRequestId()).isEqualTo(Ids.request(question.getConversationId(), question.getEventId(), 1, 0));
        assertThat(shipment.getDeadline()).isEqualTo(order.getDeadline());
        assertThat(driver.replies()).isEmpty();
    }

    @Test
    void answerCombinesBothResults() {
        driver.say("track my order 1001");
        driver.answer(driver.request(), DemoResults.ORDER_1001);

        driver.answer(driver.request(), DemoResults.SHIPMENT_TRK_1001);

        assertThat(driver.reply().getText()).isEqualTo(
                "Order 1001 is with DHL (TRK-1001): IN_TRANSIT, expected on 2026-11-26.");
    }

    @Test
    void orderWithoutTrackingIdSkipsTheShipmentStep() {
        driver.say("track my order 1002");

        driver.answer(driver.request(), DemoResults.ORDER_1002);

        assertThat(driver.requests()).isEmpty();
        assertThat(driver.reply().getText()).isEqualTo("Order 1002 is PROCESSING and has not been handed to a carrier yet.");
    }

    @Test
    void failedFirstStepEndsTheChainWithItsErrorReply() {
        driver.say("track my order 4711");

        driver.answer(driver.request(), BackendStatus.NOT_FOUND, null);

        assertThat(driver.requests()).isEmpty();
        assertThat(driver.reply().getText()).isEqualTo("I couldn't find order 4711 on your account. Please check the number.");
    }
}
