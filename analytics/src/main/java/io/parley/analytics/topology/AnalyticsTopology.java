package io.parley.analytics.topology;

import io.parley.analytics.BucketAggregation;
import io.parley.analytics.ConversationStep;
import io.parley.analytics.Period;
import io.parley.analytics.StatsView;
import io.parley.analytics.config.AnalyticsConfig;
import io.parley.analytics.ops.AnalyticsMetrics;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.analytics.BotStats;
import io.parley.schemas.analytics.BucketState;
import io.parley.schemas.analytics.InboundText;
import io.parley.schemas.analytics.StatsDelta;
import io.parley.serde.AvroSerde;
import io.parley.serde.AvroSerdeConfig;
import io.parley.serde.registry.SchemaRegistries;
import io.parley.serde.registry.SchemaRegistryClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the analytics topology from its configuration:
 *
 * <pre>
 * audit topics ─► conversation-step ─► stats-deltas (re-keyed by bot) ─► bucket-step ─► analytics.bot-stats
 *                 last-inbound, conversation-marks-hour/-day            bucket-stats-hour/-day
 * </pre>
 */
public final class AnalyticsTopology {

    private AnalyticsTopology() {
    }

    public static Topology build(AnalyticsConfig config, AnalyticsMetrics metrics) {
        Map<String, Object> serdeConfig = new LinkedHashMap<>(config.schemaRegistry());
        // One registry client and cache of schema ids for every serde, as a topic catalogue's serdes share one.
        SchemaRegistryClient registry = SchemaRegistries.fromConfig(new AvroSerdeConfig(serdeConfig));
        Serde<AuditEvent> audit = AvroSerde.of(AuditEvent.class, serdeConfig, registry, false);
        Serde<StatsDelta> deltas = AvroSerde.of(StatsDelta.class, serdeConfig, registry, false);
        Serde<BucketState> states = AvroSerde.of(BucketState.class, serdeConfig, registry, false);
        Serde<InboundText> texts = AvroSerde.of(InboundText.class, serdeConfig, registry, false);
        Serde<BotStats> stats = AvroSerde.of(BotStats.class, serdeConfig, registry, false);

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(AnalyticsStores.LAST_INBOUND,
                ConversationStepSupplier.INBOUND_KEPT.multipliedBy(2), ConversationStepSupplier.INBOUND_KEPT, false), Serdes.String(), texts));
        for (Period period : Period.values()) {
            // Marks are needed while records of their bucket may still come: the bucket and the one after it.
            builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(AnalyticsStores.marks(period),
                    period.size().multipliedBy(2), period.size(), false), Serdes.String(), Serdes.Integer()));
            builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(AnalyticsStores.buckets(period),
                    config.retention(period), period.size(), false), Serdes.String(), states));
        }
        Map<String, String> botsByTopic = new LinkedHashMap<>();
        config.botTopics().forEach((bot, topic) -> botsByTopic.put(topic, bot));

        ConversationStep step = new ConversationStep(config.handoverIntents());
        builder.stream(List.copyOf(botsByTopic.keySet()), Consumed.with(Serdes.String(), audit).withName(AnalyticsStores.AUDIT_SOURCE))
                .process(new ConversationStepSupplier(botsByTopic, step, metrics),
                        Named.as(AnalyticsStores.CONVERSATION_STEP), AnalyticsStores.LAST_INBOUND,
                        AnalyticsStores.marks(Period.HOUR), AnalyticsStores.marks(Period.DAY))
                .repartition(Repartitioned.with(Serdes.String(), deltas).withName(AnalyticsStores.DELTAS))
                .process(new BucketStepSupplier(new BucketAggregation(config.trackedNoMatches()), new StatsView(config.topNoMatches()),
                                config.emitInterval(), metrics),
                        Named.as(AnalyticsStores.BUCKET_STEP), AnalyticsStores.buckets(Period.HOUR), AnalyticsStores.buckets(Period.DAY))
                .to(config.statsTopic(), Produced.with(Serdes.String(), stats).withName(AnalyticsStores.STATS_SINK));
        return builder.build();
    }
}
