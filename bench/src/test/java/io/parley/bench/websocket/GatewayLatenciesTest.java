package io.parley.bench.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class GatewayLatenciesTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    /** The wall clock, in µs, at monotonic reading 0. */
    private static final long WALL_AT_ZERO_MICROS = 1_800_000_000_000_000L;

    private static long wallMicros(long nanos) {
        return WALL_AT_ZERO_MICROS + nanos / 1_000;
    }

    private static long wallMillis(long nanos) {
        return wallMicros(nanos) / 1_000;
    }

    private static MessageTimes answered(String eventId, long sentNanos, long ackNanos, long replyNanos) {
        return new MessageTimes(0, sentNanos, wallMicros(sentNanos), Optional.of(eventId), OptionalLong.of(ackNanos),
                OptionalLong.of(replyNanos), wallMicros(replyNanos), Optional.empty());
    }

    @Test
    void theGatewaysPartIsEndToEndMinusEventRecordToReplyRecord() {
        // Given a message sent at 1 s, handed to Kafka by the gateway 2 ms later, whose reply the broker
        // appended at 1.030 s and the client received at 1.035 s
        long sent = SECOND;
        MessageTimes message = answered("e1", sent, sent + 3 * MS, sent + 35 * MS);
        Map<String, Long> created = Map.of("e1", wallMillis(sent + 2 * MS));
        Map<String, Long> appended = Map.of("e1", wallMillis(sent + 30 * MS));

        // When the figures are made for a window holding it
        GatewayLatencies figures = GatewayLatencies.of(List.of(message), created, appended, 0, 10 * SECOND);

        // Then the pipeline took 28 ms, end to end 35 ms, the gateway 7 ms: 2 in, 5 out
        assertThat(figures.endToEnd().orElseThrow().max()).isCloseTo(35, within(0.1));
        assertThat(figures.pipeline().orElseThrow().max()).isCloseTo(28, within(0.1));
        assertThat(figures.added().orElseThrow().max()).isCloseTo(7, within(0.1));
        assertThat(figures.inbound().orElseThrow().max()).isCloseTo(2, within(0.1));
        assertThat(figures.outbound().orElseThrow().max()).isCloseTo(5, within(0.1));
        assertThat(figures.ack().orElseThrow().max()).isCloseTo(3, within(0.1));
        assertThat(figures.lost()).isZero();
    }

    @Test
    void aMessageWithoutReplyIsLostAndOutsideTheWindowIsNotCounted() {
        // Given one answered message in the window, one unanswered in it, one answered before it
        MessageTimes inWindow = answered("e1", 2 * SECOND, 2 * SECOND + MS, 2 * SECOND + 10 * MS);
        MessageTimes unanswered = new MessageTimes(1, 3 * SECOND, wallMicros(3 * SECOND), Optional.of("e2"),
                OptionalLong.of(3 * SECOND + MS), OptionalLong.empty(), 0, Optional.empty());
        MessageTimes before = answered("e0", SECOND / 2, SECOND / 2 + MS, SECOND / 2 + 10 * MS);
        Map<String, Long> created = Map.of("e1", wallMillis(2 * SECOND), "e0", wallMillis(SECOND / 2));
        Map<String, Long> appended = Map.of("e1", wallMillis(2 * SECOND + 9 * MS), "e0", wallMillis(SECOND / 2 + 9 * MS));

        // When the window is [1 s, 5 s)
        GatewayLatencies figures = GatewayLatencies.of(List.of(inWindow, unanswered, before), created, appended, SECOND, 5 * SECOND);

        // Then two were sent in it, one replied, one lost, and the replies are counted in their second
        assertThat(figures.sent()).isEqualTo(2);
        assertThat(figures.replied()).isEqualTo(1);
        assertThat(figures.lost()).isEqualTo(1);
        assertThat(figures.endToEnd().orElseThrow().count()).isEqualTo(1);
        assertThat(figures.repliesPerSecond()).containsExactly(Map.entry(0L, 0L), Map.entry(1L, 1L), Map.entry(2L, 0L),
                Map.entry(3L, 0L));
        assertThat(figures.minRepliesPerSecond()).contains(0L);
        assertThat(figures.maxRepliesPerSecond()).contains(1L);
    }

    @Test
    void aRepliedMessageWhoseRecordsWereNotFoundIsLeftOutOfThePipelineFiguresAndCounted() {
        // Given an answered message whose reply record was not read
        MessageTimes message = answered("e1", SECOND, SECOND + MS, SECOND + 20 * MS);

        // When the figures are made
        GatewayLatencies figures = GatewayLatencies.of(List.of(message), Map.of("e1", wallMillis(SECOND)), Map.of(), 0,
                2 * SECOND);

        // Then it counts end to end but not in the split
        assertThat(figures.withoutTimestamps()).isEqualTo(1);
        assertThat(figures.endToEnd()).isPresent();
        assertThat(figures.added()).isEmpty();
    }
}
