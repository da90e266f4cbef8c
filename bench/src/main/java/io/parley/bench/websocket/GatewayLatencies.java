package io.parley.bench.websocket;

import io.parley.bench.load.LatencyHistogram;
import io.parley.bench.load.LatencySummary;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The figures of the gateway scenario from what the clients saw and what the records say, for
 * the messages sent in the measured window {@code [fromNanos, toNanos)}.
 *
 * <p>Per message with a reply and both record timestamps:
 * <ul>
 *   <li>end to end: client send → client receives the reply (monotonic clock, µs);</li>
 *   <li>pipeline: chat event record timestamp (the gateway's producer, at hand-over) → reply record
 *       timestamp (the broker, at append); Kafka timestamps are whole milliseconds;</li>
 *   <li>added by the gateway: end to end − pipeline. It holds both of the gateway's legs: WebSocket
 *       frame in → event handed to its producer, and reply appended → reply fetched by its listener,
 *       routed and written → frame read by the client. The ms resolution of the two timestamps makes
 *       each figure exact to about ±1 ms;</li>
 *   <li>the two legs apart: inbound (client send, wall clock → event timestamp) and outbound
 *       (reply timestamp → client receive, wall clock);</li>
 *   <li>ack: client send → the gateway's ack (the event is in Kafka), a round trip through the gateway alone.</li>
 * </ul>
 *
 * @param sent messages sent in the window
 * @param acked of them, acknowledged by the gateway
 * @param replied of them, answered with a reply frame
 * @param refused of them, refused with an error frame
 * @param lost of them, sent and never answered, refused or not (must be 0)
 * @param withoutTimestamps replied messages whose event or reply record was not found (left out of the pipeline figures)
 * @param endToEnd client send → reply received
 * @param pipeline event record → reply record
 * @param added end to end − pipeline
 * @param inbound client send → event record
 * @param outbound reply record → reply received
 * @param ack client send → ack received
 * @param repliesPerSecond replies received in each whole second of the window, by second
 */
public record GatewayLatencies(long sent, long acked, long replied, long refused, long lost, long withoutTimestamps,
                               Optional<LatencySummary> endToEnd, Optional<LatencySummary> pipeline,
                               Optional<LatencySummary> added, Optional<LatencySummary> inbound,
                               Optional<LatencySummary> outbound, Optional<LatencySummary> ack,
                               Map<Long, Long> repliesPerSecond) {

    private static final Duration HIGHEST = Duration.ofMinutes(10);

    public static GatewayLatencies of(Collection<MessageTimes> messages, Map<String, Long> eventCreatedMillis,
                                      Map<String, Long> replyAppendedMillis, long fromNanos, long toNanos) {
        LatencyHistogram endToEnd = new LatencyHistogram(HIGHEST);
        LatencyHistogram pipeline = new LatencyHistogram(HIGHEST);
        LatencyHistogram added = new LatencyHistogram(HIGHEST);
        LatencyHistogram inbound = new LatencyHistogram(HIGHEST);
        LatencyHistogram outbound = new LatencyHistogram(HIGHEST);
        LatencyHistogram ack = new LatencyHistogram(HIGHEST);
        Map<Long, Long> perSecond = new TreeMap<>();
        long wholeSeconds = (toNanos - fromNanos) / 1_000_000_000L;
        for (long s = 0; s < wholeSeconds; s++) {
            perSecond.put(s, 0L);
        }
        long sent = 0;
        long acked = 0;
        long replied = 0;
        long refused = 0;
        long lost = 0;
        long withoutTimestamps = 0;
        for (MessageTimes m : messages) {
            if (m.sentNanos() < fromNanos || m.sentNanos() >= toNanos) {
                continue;
            }
            sent++;
            if (m.ackNanos().isPresent()) {
                acked++;
                ack.recordNanos(m.ackNanos().getAsLong() - m.sentNanos());
            }
            if (m.refusedWith().isPresent()) {
                refused++;
            }
            if (!m.replied()) {
                lost++;
                continue;
            }
            replied++;
            long replyNanos = m.replyNanos().getAsLong();
            long second = (replyNanos - fromNanos) / 1_000_000_000L;
            perSecond.computeIfPresent(second, (s, n) -> n + 1);
            long endToEndNanos = replyNanos - m.sentNanos();
            endToEnd.recordNanos(endToEndNanos);
            Long created = m.eventId().map(eventCreatedMillis::get).orElse(null);
            Long appended = m.eventId().map(replyAppendedMillis::get).orElse(null);
            if (created == null || appended == null) {
                withoutTimestamps++;
                continue;
            }
            long pipelineNanos = (appended - created) * 1_000_000L;
            pipeline.recordNanos(pipelineNanos);
            added.recordNanos(endToEndNanos - pipelineNanos);
            inbound.recordNanos(created * 1_000_000L - m.sentWallMicros() * 1_000L);
            outbound.recordNanos(m.replyWallMicros() * 1_000L - appended * 1_000_000L);
        }
        return new GatewayLatencies(sent, acked, replied, refused, lost, withoutTimestamps, endToEnd.summary(),
                pipeline.summary(), added.summary(), inbound.summary(), outbound.summary(), ack.summary(), perSecond);
    }

    /** The mean of replies per whole second of the window. */
    public Optional<Double> meanRepliesPerSecond() {
        return repliesPerSecond.isEmpty() ? Optional.empty()
                : Optional.of(repliesPerSecond.values().stream().mapToLong(Long::longValue).average().orElse(0));
    }

    /** The slowest whole second of the window. */
    public Optional<Long> minRepliesPerSecond() {
        return repliesPerSecond.values().stream().min(Long::compare);
    }

    /** The busiest whole second of the window. */
    public Optional<Long> maxRepliesPerSecond() {
        return repliesPerSecond.values().stream().max(Long::compare);
    }
}
