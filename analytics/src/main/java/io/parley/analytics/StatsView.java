package io.parley.analytics;

import io.parley.schemas.analytics.BotStats;
import io.parley.schemas.analytics.BucketState;
import io.parley.schemas.analytics.ConnectorLatency;
import io.parley.schemas.analytics.ConnectorState;
import io.parley.schemas.analytics.NoMatchCount;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The published view of a bucket: rates, the top no-match utterances, latency percentiles. Plain Java. */
public final class StatsView {

    private final int topNoMatches;

    public StatsView(int topNoMatches) {
        this.topNoMatches = topNoMatches;
    }

    /** The key of a bucket on the stats topic: {@code <bot>/<period>/<bucket start, ISO-8601>}. */
    public static String key(BucketState state) {
        return state.getBot() + "/" + state.getPeriod() + "/" + state.getBucketStart();
    }

    public BotStats of(BucketState state) {
        Period period = Period.fromLabel(state.getPeriod());
        long contained = state.getConversations() - state.getUncontained();
        List<NoMatchCount> top = state.getNoMatches().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(topNoMatches)
                .map(entry -> NoMatchCount.newBuilder().setText(entry.getKey()).setCount(entry.getValue()).build())
                .toList();
        Map<String, ConnectorLatency> connectors = new TreeMap<>();
        state.getConnectors().forEach((connector, calls) -> connectors.put(connector, latency(calls)));
        return BotStats.newBuilder()
                .setBot(state.getBot())
                .setPeriod(state.getPeriod())
                .setBucketStart(state.getBucketStart())
                .setBucketEnd(state.getBucketStart().plus(period.size()))
                .setUpdatedAt(state.getUpdatedAt())
                .setConversations(state.getConversations())
                .setContainedConversations(contained)
                .setContainmentRate(ratio(contained, state.getConversations()))
                .setTurns(state.getTurns())
                .setFallbacks(state.getFallbacks())
                .setFallbackRate(ratio(state.getFallbacks(), state.getTurns()))
                .setTimeouts(state.getTimeouts())
                .setTimeoutRate(ratio(state.getTimeouts(), state.getTurns()))
                .setIntents(new TreeMap<>(state.getIntents()))
                .setTopNoMatches(top)
                .setConnectors(connectors)
                .build();
    }

    private static ConnectorLatency latency(ConnectorState calls) {
        Histogram histogram = LatencyHistogram.decode(calls.getLatencies());
        return ConnectorLatency.newBuilder()
                .setCalls(calls.getCalls())
                .setFailures(calls.getFailures())
                .setP50Ms(histogram.getValueAtPercentile(50))
                .setP95Ms(histogram.getValueAtPercentile(95))
                .setP99Ms(histogram.getValueAtPercentile(99))
                .setMaxMs(histogram.getMaxValue())
                .build();
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
