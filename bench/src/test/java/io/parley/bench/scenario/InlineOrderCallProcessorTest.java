package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.backend.OrderBackend;
import io.parley.bench.kafka.ScenarioTopics;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.Topic;
import java.net.URI;
import java.time.Duration;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class InlineOrderCallProcessorTest {

    private final ScenarioTopics topics = PassThroughTopologyTest.topics();
    private final Topic<String, ChatEvent> events = topics.topics().chatEvents();
    private final Topic<String, ChatReply> replies = topics.topics().defaultReplies();

    private ChatReply replyTo(ChatEvent event, URI shop) {
        BlockingOrderClient client = BlockingOrderClient.create(shop, Duration.ofSeconds(5));
        try (TopologyTestDriver driver = new TopologyTestDriver(InlineCallTopology.build(events, replies, client))) {
            TestInputTopic<String, ChatEvent> in = driver.createInputTopic(events.name(),
                    events.keySerde().serializer(), events.valueSerde().serializer());
            TestOutputTopic<String, ChatReply> out = driver.createOutputTopic(replies.name(),
                    replies.keySerde().deserializer(), replies.valueSerde().deserializer());
            in.pipeInput(event.getConversationId(), event);
            ChatReply reply = out.readValue();
            assertThat(out.isEmpty()).isTrue();
            return reply;
        }
    }

    @Test
    void anOrderQuestionIsAnsweredWithTheShopsStatus() {
        try (OrderBackend shop = OrderBackend.start(Duration.ZERO, 1)) {
            ChatReply reply = replyTo(PassThroughTopologyTest.event("e1", "where is my order 1001"), shop.baseUri());

            assertThat(reply.getKind()).isEqualTo(ReplyKind.ANSWER);
            assertThat(reply.getText()).isEqualTo("Order 1001 is SHIPPED");
            assertThat(reply.getInReplyTo()).isEqualTo("e1");
            assertThat(shop.ordersServed()).isEqualTo(1);
        }
    }

    @Test
    void aMessageWithoutAnOrderNumberGetsAFallbackWithoutACall() {
        try (OrderBackend shop = OrderBackend.start(Duration.ZERO, 1)) {
            ChatReply reply = replyTo(PassThroughTopologyTest.event("e2", "hello"), shop.baseUri());

            assertThat(reply.getKind()).isEqualTo(ReplyKind.FALLBACK);
            assertThat(shop.ordersServed()).isZero();
        }
    }

    @Test
    void anUnreachableShopGivesAnErrorReplyAndTheStreamGoesOn() {
        URI closedShop;
        try (OrderBackend shop = OrderBackend.start(Duration.ZERO, 1)) {
            closedShop = shop.baseUri();
        }

        ChatReply reply = replyTo(PassThroughTopologyTest.event("e3", "where is my order 1001"), closedShop);

        assertThat(reply.getKind()).isEqualTo(ReplyKind.ERROR);
        assertThat(reply.getInReplyTo()).isEqualTo("e3");
    }
}
