package io.parley.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.analytics.BotStats;
import io.parley.schemas.analytics.BucketState;
import io.parley.schemas.analytics.NoMatchCount;
import io.parley.schemas.analytics.StatsDelta;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** BucketAggregation sums deltas; StatsView publishes rates, the top utterances and latency percentiles. */
class BucketStatsTest {

    private static final Instant HOUR = Instant.parse("2026-12-04T03:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-04T03:40:00Z");

    @Test
    void ratesAreSharesOfConversationsAndTurns() {
        BucketAggregation aggregation = new BucketAggregation(10);
        BucketState state = BucketAggregation.empty("shop", Period.HOUR, HOUR);
        // Given 4 conversations, one not contained, and 8 turns, 2 of them fallbacks and 1 timed out
        for (int i = 0; i < 4; i++) {
            state = aggregation.add(state, delta().setNewConversation(true).setNewlyUncontained(i == 0).build(), NOW);
        }
        for (int i = 0; i < 8; i++) {
            state = aggregation.add(state, delta().setTurn(true).setFallback(i < 2).setTimeout(i == 0).build(), NOW);
        }

        BotStats stats = new StatsView(5).of(state);

        assertThat(stats.getConversations()).isEqualTo(4);
        assertThat(stats.getContainedConversations()).isEqualTo(3);
        assertThat(stats.getContainmentRate()).isEqualTo(0.75);
        assertThat(stats.getFallbackRate()).isEqualTo(0.25);
        assertThat(stats.getTimeoutRate()).isEqualTo(0.125);
        assertThat(stats.getBucketEnd()).isEqualTo(Instant.parse("2026-12-04T04:00:00Z"));
        assertThat(stats.getUpdatedAt()).isEqualTo(NOW);
    }

    @Test
    void ratesOfAnEmptyBucketAreUnknownNotZero() {
        BotStats stats = new StatsView(5).of(BucketAggregation.empty("shop", Period.DAY, HOUR));

        assertThat(stats.getContainmentRate()).isNull();
        assertThat(stats.getFallbackRate()).isNull();
        assertThat(stats.getTimeoutRate()).isNull();
    }

    @Test
    void topNoMatchesAreTheMostFrequentFirst() {
        BucketAggregation aggregation = new BucketAggregation(10);
        BucketState state = BucketAggregation.empty("shop", Period.HOUR, HOUR);
        for (String text : new String[] {"refund", "opening hours", "refund", "parking", "refund", "opening hours"}) {
            state = aggregation.add(state, delta().setNoMatchText(text).build(), NOW);
        }

        assertThat(new StatsView(2).of(state).getTopNoMatches()).extracting(NoMatchCount::getText, NoMatchCount::getCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("refund", 3L), org.assertj.core.groups.Tuple.tuple("opening hours", 2L));
    }

    @Test
    void aFullUtteranceTableStaysBoundedAndAFrequentLatecomerStillRises() {
        BucketAggregation aggregation = new BucketAggregation(3);
        BucketState state = BucketAggregation.empty("shop", Period.HOUR, HOUR);
        for (int i = 0; i < 100; i++) {
            state = aggregation.add(state, delta().setNoMatchText("rare " + i).build(), NOW);
        }
        for (int i = 0; i < 5; i++) {
            state = aggregation.add(state, delta().setNoMatchText("where is the refund form").build(), NOW);
        }

        assertThat(state.getNoMatches()).hasSize(3);
        assertThat(new StatsView(1).of(state).getTopNoMatches()).extracting(NoMatchCount::getText).containsExactly("where is the refund form");
    }

    @Test
    void latencyPercentilesPerConnector() {
        BucketAggregation aggregation = new BucketAggregation(10);
        BucketState state = BucketAggregation.empty("shop", Period.HOUR, HOUR);
        for (long millis = 1; millis <= 100; millis++) {
            state = aggregation.add(state, delta().setConnector("shop-api").setLatencyMs(millis).setFailed(millis > 90).build(), NOW);
        }

        var latency = new StatsView(5).of(state).getConnectors().get("shop-api");
        assertThat(latency.getCalls()).isEqualTo(100);
        assertThat(latency.getFailures()).isEqualTo(10);
        assertThat(latency.getP50Ms()).isEqualTo(50);
        assertThat(latency.getP95Ms()).isEqualTo(95);
        assertThat(latency.getP99Ms()).isEqualTo(99);
        assertThat(latency.getMaxMs()).isEqualTo(100);
    }

    private static StatsDelta.Builder delta() {
        return StatsDelta.newBuilder().setBot("shop").setPeriod("hour").setBucketStart(HOUR);
    }
}
