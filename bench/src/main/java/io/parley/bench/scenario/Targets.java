package io.parley.bench.scenario;

import io.parley.bench.report.Target;

/** The targets of the benchmark issue (2 cores), one place to read and change them. */
public final class Targets {

    /** S2 at_least_once maximum turns/s. */
    public static final Target S2_ALOS_THROUGHPUT = Target.atLeast(5_000);
    /** S2 exactly_once_v2 maximum turns/s. */
    public static final Target S2_EOS_THROUGHPUT = Target.atLeast(3_000);
    /** S2 at_least_once p99 at 1,000 offered turns/s, ms. */
    public static final Target S2_ALOS_P99_AT_1000 = Target.atMost(50);
    /** S2 exactly_once_v2 p99 at 1,000 offered turns/s, commit interval 100 ms, ms. */
    public static final Target S2_EOS_P99_AT_1000 = Target.atMost(250);
    /** S2 records written per turn (all topics, changelogs and repartition topics included), issue 18. */
    public static final Target S2_RECORDS_PER_TURN = Target.atMost(10);
    /** S3 turns/s with a 200 ms backend. */
    public static final Target S3_THROUGHPUT = Target.atLeast(1_000);
    /** S3 turns/s over S4 turns/s. */
    public static final Target S3_OVER_S4 = Target.atLeast(100);
    /** Processor resident set at 100,000 sessions, MB. */
    public static final Target PROCESSOR_RSS_MB = Target.atMost(768);
    /** The session count the RSS target is set for. */
    public static final int RSS_TARGET_SESSIONS = 100_000;

    /** S6: seconds until every conversation answers again after a kill -9 and a restart in place, or a takeover with a standby. */
    public static final Target S6_RECOVERY_SECONDS = Target.atMost(10);

    /** S7: the gateway's added p99 latency over the pipeline at 10,000 WebSocket conversations, ms. */
    public static final Target S7_GATEWAY_ADDED_P99 = Target.atMost(20);

    private Targets() {
    }
}
