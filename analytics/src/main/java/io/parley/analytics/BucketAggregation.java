package io.parley.analytics;

import io.parley.schemas.analytics.BucketState;
import io.parley.schemas.analytics.ConnectorState;
import io.parley.schemas.analytics.StatsDelta;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Adds deltas to a bot's running totals for one bucket. Plain Java: state and delta in, state out. */
public final class BucketAggregation {

    private final int trackedNoMatches;

    /** @param trackedNoMatches how many distinct utterances a bucket counts before the least counted give way */
    public BucketAggregation(int trackedNoMatches) {
        this.trackedNoMatches = trackedNoMatches;
    }

    public static BucketState empty(String bot, Period period, Instant bucketStart) {
        return BucketState.newBuilder().setBot(bot).setPeriod(period.label()).setBucketStart(bucketStart)
                .setUpdatedAt(Instant.EPOCH).build();
    }

    public BucketState add(BucketState current, StatsDelta delta, Instant now) {
        BucketState.Builder next = BucketState.newBuilder(current).setUpdatedAt(now);
        if (delta.getNewConversation()) {
            next.setConversations(current.getConversations() + 1);
        }
        if (delta.getNewlyUncontained()) {
            next.setUncontained(current.getUncontained() + 1);
        }
        if (delta.getTurn()) {
            next.setTurns(current.getTurns() + 1);
        }
        if (delta.getFallback()) {
            next.setFallbacks(current.getFallbacks() + 1);
        }
        if (delta.getTimeout()) {
            next.setTimeouts(current.getTimeouts() + 1);
        }
        if (delta.getIntent() != null) {
            Map<String, Long> intents = new HashMap<>(current.getIntents());
            intents.merge(delta.getIntent(), 1L, Long::sum);
            next.setIntents(intents);
        }
        if (delta.getNoMatchText() != null) {
            next.setNoMatches(countUtterance(current.getNoMatches(), delta.getNoMatchText()));
        }
        if (delta.getConnector() != null && delta.getLatencyMs() != null) {
            Map<String, ConnectorState> connectors = new HashMap<>(current.getConnectors());
            ConnectorState before = connectors.get(delta.getConnector());
            Histogram latencies = LatencyHistogram.decode(before == null ? null : before.getLatencies());
            LatencyHistogram.record(latencies, delta.getLatencyMs());
            connectors.put(delta.getConnector(), ConnectorState.newBuilder()
                    .setCalls((before == null ? 0 : before.getCalls()) + 1)
                    .setFailures((before == null ? 0 : before.getFailures()) + (delta.getFailed() ? 1 : 0))
                    .setLatencies(LatencyHistogram.encode(latencies))
                    .build());
            next.setConnectors(connectors);
        }
        return next.build();
    }

    /**
     * Counts an utterance in a bounded map: a new utterance in a full map takes the place of the
     * least counted one and starts from its count plus one (the space-saving rule, so a frequent
     * utterance that arrives late still rises to the top).
     */
    private Map<String, Long> countUtterance(Map<String, Long> counts, String text) {
        Map<String, Long> next = new HashMap<>(counts);
        if (next.containsKey(text) || next.size() < trackedNoMatches) {
            next.merge(text, 1L, Long::sum);
            return next;
        }
        Map.Entry<String, Long> least = next.entrySet().stream()
                .min(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow();
        next.remove(least.getKey());
        next.put(text, least.getValue() + 1);
        return next;
    }
}
