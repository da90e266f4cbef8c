package io.parley.analytics.topology;

import io.parley.analytics.Period;

/**
 * Names of the analytics' stores, processors and internal topics, chosen here and pinned by
 * AnalyticsTopologyTest: renaming one orphans its state.
 */
public final class AnalyticsStores {

    /** Source of the bots' audit topics. */
    public static final String AUDIT_SOURCE = "audit-source";
    /** Partitioned by conversation: works out what each audit record adds. */
    public static final String CONVERSATION_STEP = "conversation-step";
    /** The re-keying by bot: {@code <application.id>-stats-deltas-repartition}. */
    public static final String DELTAS = "stats-deltas";
    /** Partitioned by bot: sums deltas into hour and day buckets, publishes changed buckets. */
    public static final String BUCKET_STEP = "bucket-step";
    public static final String STATS_SINK = "bot-stats-sink";

    /** Window store: the last user message of each conversation, for NO_MATCH records. */
    public static final String LAST_INBOUND = "last-inbound";
    private static final String MARKS_PREFIX = "conversation-marks-";
    private static final String BUCKETS_PREFIX = "bucket-stats-";

    private AnalyticsStores() {
    }

    /** Window store: per bot and conversation, whether it was seen and contained in a bucket. */
    public static String marks(Period period) {
        return MARKS_PREFIX + period.label();
    }

    /** Window store: per bot, the running totals of a bucket. */
    public static String buckets(Period period) {
        return BUCKETS_PREFIX + period.label();
    }
}
