package io.parley.bench.scenario;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.Topic;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * S1: the least a chat processor can do, chat events mapped to replies, one record in, one
 * out, with the same Avro serdes as Parley. Its rate is the ceiling the broker and the serdes
 * allow on this machine.
 */
final class PassThroughTopology {

    private PassThroughTopology() {
    }

    static Topology build(Topic<String, ChatEvent> events, Topic<String, ChatReply> replies, Clock clock) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(events.name(), Consumed.with(events.keySerde(), events.valueSerde()).withName("pass-through-events"))
                .mapValues(event -> echo(event, clock), Named.as("pass-through-echo"))
                .to(replies.name(), Produced.with(replies.keySerde(), replies.valueSerde()).withName("pass-through-replies"));
        return builder.build();
    }

    /** A reply that answers the event, as a real answer would: same conversation, user and channel. */
    static ChatReply echo(ChatEvent event, Clock clock) {
        return ChatReply.newBuilder()
                .setReplyId(event.getEventId() + "-echo")
                .setConversationId(event.getConversationId())
                .setUserId(event.getUserId())
                .setChannel(event.getChannel())
                .setInReplyTo(event.getEventId())
                .setKind(ReplyKind.ANSWER)
                .setText("You said: " + event.getText())
                .setQuickReplies(List.of())
                .setData(Map.of())
                .setCreatedAt(clock.instant())
                .build();
    }
}
