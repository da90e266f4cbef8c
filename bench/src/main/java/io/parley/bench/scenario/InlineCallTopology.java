package io.parley.bench.scenario;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.topics.Topic;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/** S4's topology: chat events, an inline blocking backend call per event, replies. */
final class InlineCallTopology {

    private InlineCallTopology() {
    }

    static Topology build(Topic<String, ChatEvent> events, Topic<String, ChatReply> replies, BlockingOrderClient shop) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(events.name(), Consumed.with(events.keySerde(), events.valueSerde()).withName("inline-events"))
                .processValues(new InlineOrderCallProcessor(shop), Named.as("inline-order-call"))
                .to(replies.name(), Produced.with(replies.keySerde(), replies.valueSerde()).withName("inline-replies"));
        return builder.build();
    }
}
