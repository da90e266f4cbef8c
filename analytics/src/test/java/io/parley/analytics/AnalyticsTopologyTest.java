package io.parley.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.analytics.config.AnalyticsConfig;
import io.parley.analytics.ops.AnalyticsMetrics;
import io.parley.analytics.topology.AnalyticsTopology;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.analytics.BotStats;
import io.parley.schemas.analytics.NoMatchCount;
import io.parley.serde.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The analytics topology on TopologyTestDriver, fed the audit stream recorded from a real processor and worker. */
class AnalyticsTopologyTest {

    private static final Duration EMIT = Duration.ofSeconds(10);
    private static final String HOUR_KEY = "parley/hour/2026-12-04T03:00:00Z";
    private static final String DAY_KEY = "parley/day/2026-12-04T00:00:00Z";

    private final String registry = "mock://analytics-" + UUID.randomUUID();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void everyStoreProcessorAndTopicHasTheNameWeChose() {
        Topology topology = AnalyticsTopology.build(config().build(), new AnalyticsMetrics(meters));
        Set<String> nodes = new TreeSet<>();
        Set<String> stores = new TreeSet<>();
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                nodes.add(node.name());
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                } else if (node instanceof TopologyDescription.Source source) {
                    topics.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Sink sink) {
                    topics.add(sink.topic());
                }
            }
        }

        assertThat(nodes).containsExactlyInAnyOrder("audit-source", "conversation-step", "stats-deltas-repartition-filter",
                "stats-deltas-repartition-sink", "stats-deltas-repartition-source", "bucket-step", "bot-stats-sink");
        assertThat(stores).containsExactlyInAnyOrder("last-inbound", "conversation-marks-hour", "conversation-marks-day",
                "bucket-stats-hour", "bucket-stats-day");
        assertThat(topics).containsExactlyInAnyOrder("chat.audit", "stats-deltas-repartition", "analytics.bot-stats");
    }

    @Test
    void recordedAuditStreamGivesTheBotsHourAndDay() {
        // Given the recorded audit stream of four conversations in one hour
        start(config().build());

        // When it is read and the statistics are published
        pipe("chat.audit", RecordedAudit.read(RecordedAudit.DEMO_SHOP));
        driver.advanceWallClockTime(EMIT);
        Map<String, BotStats> published = output().readKeyValuesToMap();

        // Then the hour and the day say the same: 4 conversations, one fell back (3 contained), 8 user messages
        assertThat(published).containsOnlyKeys(HOUR_KEY, DAY_KEY);
        for (BotStats stats : published.values()) {
            assertThat(stats.getBot()).isEqualTo("parley");
            assertThat(stats.getConversations()).isEqualTo(4);
            assertThat(stats.getContainedConversations()).isEqualTo(3);
            assertThat(stats.getContainmentRate()).isEqualTo(0.75);
            assertThat(stats.getTurns()).isEqualTo(8);
            assertThat(stats.getFallbacks()).isEqualTo(1);
            assertThat(stats.getFallbackRate()).isEqualTo(0.125);
            assertThat(stats.getTimeouts()).isZero();
            assertThat(stats.getIntents()).containsExactlyInAnyOrderEntriesOf(Map.of("order-status", 3L, "greeting", 1L, "stock-check", 1L));
            // The two messages no intent matched, with their (redacted) text from the INBOUND record
            assertThat(stats.getTopNoMatches()).extracting(NoMatchCount::getText, NoMatchCount::getCount)
                    .containsExactlyInAnyOrder(tuple("what is the meaning of life", 1L), tuple("i want to talk to a human", 1L));
            // shop-api: three answers (86, 30, 6 ms) and two late NOT_FOUNDs (15 ms); shop-db: one late REJECTED
            assertThat(stats.getConnectors()).containsOnlyKeys("shop-api", "shop-db");
            assertThat(stats.getConnectors().get("shop-api")).satisfies(api -> {
                assertThat(api.getCalls()).isEqualTo(5);
                assertThat(api.getFailures()).isEqualTo(2);
                assertThat(api.getP50Ms()).isEqualTo(15);
                assertThat(api.getMaxMs()).isEqualTo(86);
            });
            assertThat(stats.getConnectors().get("shop-db").getFailures()).isEqualTo(1);
        }
        assertThat(published.get(HOUR_KEY).getBucketEnd()).isEqualTo(Instant.parse("2026-12-04T04:00:00Z"));
        assertThat(published.get(DAY_KEY).getBucketEnd()).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
    }

    @Test
    void turnRecordsGiveTheSameStatisticsAsPerStepRecords() {
        // Given the recorded conversations, as detailed mode writes them and as turn mode (the default) does
        List<AuditEvent> detailed = RecordedAudit.read(RecordedAudit.DEMO_SHOP);
        List<AuditEvent> turns = TurnRecords.fold(detailed);
        assertThat(turns).hasSizeLessThan(detailed.size()).extracting(AuditEvent::getKind).contains(AuditKind.TURN);

        // When each is read by a fresh analytics topology
        start(config().build());
        pipe("chat.audit", detailed);
        driver.advanceWallClockTime(EMIT);
        Map<String, BotStats> fromSteps = output().readKeyValuesToMap();
        double stepsCounted = meters.get("parley.analytics.audit.records").counters().stream().mapToDouble(c -> c.count()).sum();
        driver.close();
        meters.clear();
        start(config().build());
        pipe("chat.audit", turns);
        driver.advanceWallClockTime(EMIT);
        Map<String, BotStats> fromTurns = output().readKeyValuesToMap();

        // Then the published statistics are the same, and the records are counted as the steps they carry
        assertThat(fromTurns).isNotEmpty().isEqualTo(fromSteps);
        assertThat(meters.get("parley.analytics.audit.records").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(stepsCounted).isEqualTo(detailed.size());
    }

    @Test
    void handOverIntentsAreNotContained() {
        start(config().handoverIntents(List.of("greeting")).build());

        pipe("chat.audit", RecordedAudit.read(RecordedAudit.DEMO_SHOP));
        driver.advanceWallClockTime(EMIT);

        assertThat(output().readKeyValuesToMap().get(HOUR_KEY).getContainedConversations()).isEqualTo(2);
    }

    @Test
    void onlyBucketsThatChangedArePublishedAgain() {
        start(config().build());
        List<AuditEvent> recorded = RecordedAudit.read(RecordedAudit.DEMO_SHOP);
        pipe("chat.audit", recorded);
        driver.advanceWallClockTime(EMIT);
        output().readKeyValuesToMap();

        // Nothing new: nothing published
        driver.advanceWallClockTime(EMIT);
        assertThat(output().isEmpty()).isTrue();

        // A message in the next hour: that hour and the day, not the hour before
        AuditEvent next = AuditEvent.newBuilder(recorded.get(0)).setAuditId("later").setEventId("later")
                .setOccurredAt(Instant.parse("2026-12-04T04:05:00Z")).build();
        pipe("chat.audit", List.of(next));
        driver.advanceWallClockTime(EMIT);
        Map<String, BotStats> published = output().readKeyValuesToMap();
        assertThat(published).containsOnlyKeys("parley/hour/2026-12-04T04:00:00Z", DAY_KEY);
        assertThat(published.get("parley/hour/2026-12-04T04:00:00Z").getConversations()).isEqualTo(1);
        assertThat(published.get(DAY_KEY).getConversations()).as("the same conversation, the same day").isEqualTo(4);
        assertThat(published.get(DAY_KEY).getTurns()).isEqualTo(9);
    }

    @Test
    void eachBotHasItsOwnStatistics() {
        start(config().bot("shop", "shop.audit").bot("support", "support.audit").build());
        List<AuditEvent> recorded = RecordedAudit.read(RecordedAudit.DEMO_SHOP);

        pipe("shop.audit", recorded);
        pipe("support.audit", recorded.subList(0, 3));
        driver.advanceWallClockTime(EMIT);
        Map<String, BotStats> published = output().readKeyValuesToMap();

        assertThat(published.get("shop/hour/2026-12-04T03:00:00Z").getConversations()).isEqualTo(4);
        assertThat(published.get("support/hour/2026-12-04T03:00:00Z").getConversations()).isEqualTo(1);
        assertThat(published.get("support/hour/2026-12-04T03:00:00Z").getFallbacks()).isEqualTo(1);
    }

    @Test
    void aRecordMoreThanAnHourLateIsSkippedAndCounted() {
        start(config().build());
        List<AuditEvent> recorded = RecordedAudit.read(RecordedAudit.DEMO_SHOP);
        pipe("chat.audit", recorded);
        AuditEvent late = AuditEvent.newBuilder(recorded.get(0)).setAuditId("late").setConversationId("c-late")
                .setOccurredAt(Instant.parse("2026-12-04T01:10:00Z")).build();

        pipe("chat.audit", List.of(late));
        driver.advanceWallClockTime(EMIT);

        assertThat(output().readKeyValuesToMap().get(DAY_KEY).getConversations()).isEqualTo(4);
        assertThat(meters.get("parley.analytics.skipped.records").tag("reason", "too-old").counter().count()).isEqualTo(1.0);
    }

    @Test
    void theCurrentBucketsAreMetrics() {
        start(config().build());

        pipe("chat.audit", RecordedAudit.read(RecordedAudit.DEMO_SHOP));
        driver.advanceWallClockTime(EMIT);

        assertThat(meters.get("parley.analytics.conversations").tags("bot", "parley", "period", "hour").gauge().value()).isEqualTo(4.0);
        assertThat(meters.get("parley.analytics.containment.ratio").tags("bot", "parley", "period", "day").gauge().value()).isEqualTo(0.75);
        assertThat(meters.get("parley.analytics.fallback.ratio").tags("bot", "parley", "period", "hour").gauge().value()).isEqualTo(0.125);
        assertThat(meters.get("parley.analytics.backend.latency").tags("bot", "parley", "period", "hour", "connector", "shop-api",
                "quantile", "0.5").gauge().value()).isEqualTo(0.015);
        assertThat(meters.get("parley.analytics.audit.records").tags("bot", "parley", "kind", AuditKind.INBOUND.name()).counter().count())
                .isEqualTo(8.0);
    }

    private AnalyticsConfig.Builder config() {
        return AnalyticsConfig.builder().kafka("bootstrap.servers", "unused:9092").schemaRegistry("schema.registry.url", registry)
                .emitInterval(EMIT);
    }

    private void start(AnalyticsConfig config) {
        Properties props = new Properties();
        props.putAll(AnalyticsApp.streamsProperties(config));
        driver = new TopologyTestDriver(AnalyticsTopology.build(config, new AnalyticsMetrics(meters)), props, Instant.parse("2026-12-04T03:40:00Z"));
    }

    private void pipe(String topic, List<AuditEvent> events) {
        TestInputTopic<String, AuditEvent> input = driver.createInputTopic(topic, Serdes.String().serializer(),
                AvroSerde.of(AuditEvent.class, Map.of("schema.registry.url", registry), false).serializer());
        for (AuditEvent event : events) {
            input.pipeInput(event.getConversationId(), event, event.getOccurredAt());
        }
    }

    private TestOutputTopic<String, BotStats> output() {
        return driver.createOutputTopic("analytics.bot-stats", Serdes.String().deserializer(),
                AvroSerde.of(BotStats.class, Map.of("schema.registry.url", registry), false).deserializer());
    }
}
