package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.processor.flow.Timing;
import io.parley.processor.flow.Understanding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 part 3: a flow's classifier connector (an llm connector's classify) with {@code askWhenUnsure}
 * decides the messages the built-in classifier is unsure of, as an ordinary asynchronous call.
 */
class ClassifierWhenUnsureTest {

    private final ProcessorDriver driver = ProcessorDriver.withFlows("flows/classifier-unsure.yaml");

    @AfterEach
    void close() {
        driver.close();
    }

    private static final String UNSURE = "my parcel for 1001, is it on its way or are you closed?";

    @Test
    void theTestMessageIsOneTheBuiltInClassifierIsUnsureOfAndTheKeyIsReadButOffByDefault() {
        FlowLoader loader = new FlowLoader(new TemplateCompiler(), new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true));
        FlowCatalog flows = loader.load(List.of(FlowSource.classpath("flows/classifier-unsure.yaml")));

        assertThat(flows.understand(UNSURE)).isInstanceOf(Understanding.Ambiguous.class);
        assertThat(flows.classifier()).hasValueSatisfying(classifier -> assertThat(classifier.askWhenUnsure()).isTrue());
        assertThat(loader.load(List.of(FlowSource.classpath("flows/classifier.yaml"))).classifier())
                .hasValueSatisfying(classifier -> assertThat(classifier.askWhenUnsure()).isFalse());
    }

    @Test
    void anUnsureGuessIsSentToTheClassifierConnectorWithTheIntentsAndSlotsInsteadOfDidYouMean() {
        // When a message the built-in classifier is unsure of arrives
        driver.say(UNSURE);

        // Then the classifier connector is asked, with the allowed intents and slots, and nothing is replied yet
        BackendRequest classify = driver.request();
        assertThat(classify.getConnector()).isEqualTo("assistant");
        assertThat(classify.getOperation()).isEqualTo("classify");
        assertThat(classify.getParams()).containsEntry("text", UNSURE)
                .containsEntry("intents", "order-status,store-hours").containsEntry("slots", "orderId");
        assertThat(driver.replies()).isEmpty();
    }

    @Test
    void itsAnswerSelectsTheIntentAndFillsTheSlotThenTheTurnGoesOn() {
        driver.say(UNSURE);

        // When the model answers with an intent and the slot
        driver.answer(driver.request(), """
                {"intent":"order-status","entities":{"orderId":"1001"}}""");

        // Then the turn continues as if classified: the order is looked up and the reply rendered
        BackendRequest order = driver.request();
        assertThat(order.getOperation()).isEqualTo("getOrder");
        assertThat(order.getParams()).isEqualTo(Map.of("orderId", "1001", "customerId", ProcessorDriver.USER));
        driver.answer(order, DemoResults.ORDER_1001);
        assertThat(driver.reply().getText()).isEqualTo("Order 1001 is SHIPPED.");
        assertThat(driver.audit()).filteredOn(a -> a.getKind() == AuditKind.INTENT).singleElement()
                .satisfies(intent -> assertThat(intent.getIntent()).isEqualTo("order-status"));
    }

    @Test
    void aModelAnsweringNoneGetsTheFallback() {
        driver.say(UNSURE);

        driver.answer(driver.request(), """
                {"intent":"none","entities":{}}""");

        assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.FALLBACK);
    }

    @Test
    void anInvalidModelAnswerGetsTheFallback() {
        driver.say(UNSURE);

        driver.answer(driver.request(), BackendStatus.INVALID_RESPONSE, null);

        assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.FALLBACK);
        assertThat(driver.session(ProcessorDriver.CONVERSATION).getTurn()).isNull();
    }

    @Test
    void aSlowModelGetsTheInterimThenTheFallbackAtTheDeadline() {
        driver.say(UNSURE);
        driver.request();

        driver.advance(Duration.ofSeconds(2));
        driver.advance(Duration.ofSeconds(6));

        assertThat(driver.replies()).extracting(ChatReply::getKind).containsExactly(ReplyKind.INTERIM, ReplyKind.FALLBACK);
    }

    @Test
    void aMessageTheRulesOrTheBuiltInClassifierAreSureOfIsNotSent() {
        // Given a message that is exactly an intent's title (a tapped quick reply)
        driver.say("Opening hours");

        // Then the intent runs without asking the model
        assertThat(driver.reply().getText()).isEqualTo("We are open 9 to 5.");
        assertThat(driver.requests()).isEmpty();
    }
}
