package io.parley.bench.websocket;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one client saw of one message it sent, all read in the bench JVM: monotonic readings
 * ({@code *Nanos}) for durations, wall-clock readings ({@code *WallMicros}) only where they meet
 * timestamps of Kafka records, which come from the same machine's clock.
 *
 * @param connection the client connection that sent it
 * @param sentNanos just before the frame was handed to the WebSocket
 * @param sentWallMicros the same moment, wall clock
 * @param eventId the chat event id the gateway acknowledged; empty when no ack came
 * @param ackNanos when the gateway's ack (the event is in Kafka) arrived
 * @param replyNanos when the reply frame answering the event arrived
 * @param replyWallMicros the same moment, wall clock (0 without a reply)
 * @param refusedWith the error code of an error frame for this message, if the gateway refused it
 */
public record MessageTimes(int connection, long sentNanos, long sentWallMicros, Optional<String> eventId,
                           OptionalLong ackNanos, OptionalLong replyNanos, long replyWallMicros, Optional<String> refusedWith) {

    public MessageTimes {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(ackNanos, "ackNanos");
        Objects.requireNonNull(replyNanos, "replyNanos");
        Objects.requireNonNull(refusedWith, "refusedWith");
    }

    public boolean replied() {
        return replyNanos.isPresent();
    }
}
