package io.parley.bench.load;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import java.time.Instant;
import java.util.Map;

/** Builds the chat event of each turn from a {@link Workload} and the phase's {@link TurnIds}. */
public final class TurnEvents {

    private final Workload workload;
    private final TurnIds ids;

    public TurnEvents(Workload workload, TurnIds ids) {
        this.workload = workload;
        this.ids = ids;
    }

    /** The event of turn {@code seq}, created at {@code createdAt} (its intended start, in wall-clock time). */
    public ChatEvent event(long seq, Instant createdAt) {
        return ChatEvent.newBuilder()
                .setEventId(ids.eventId(seq))
                .setConversationId(workload.conversationId(seq))
                .setUserId(workload.userId(seq))
                .setChannel(workload.channel())
                .setType(ChatEventType.MESSAGE)
                .setText(workload.text())
                .setPayload(Map.of())
                .setLocale("en-GB")
                .setOccurredAt(createdAt)
                .build();
    }

    /** The record key: the conversation id, so a conversation's turns stay in order on one partition. */
    public String key(long seq) {
        return workload.conversationId(seq);
    }
}
