package io.parley.analytics.topology;

import io.parley.analytics.BucketAggregation;
import io.parley.analytics.Period;
import io.parley.analytics.StatsView;
import io.parley.analytics.ops.AnalyticsMetrics;
import io.parley.schemas.analytics.BotStats;
import io.parley.schemas.analytics.BucketState;
import io.parley.schemas.analytics.StatsDelta;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The bucket step: sums the deltas of a bot (keyed by bot, so one task holds all of a bot's
 * totals) into its hour and day buckets, and every {@code emitInterval} (wall clock) publishes the
 * buckets that changed since the last time as {@link BotStats}, and updates the metrics.
 */
final class BucketStepSupplier implements ProcessorSupplier<String, StatsDelta, String, BotStats> {

    private final BucketAggregation aggregation;
    private final StatsView view;
    private final Duration emitInterval;
    private final AnalyticsMetrics metrics;

    BucketStepSupplier(BucketAggregation aggregation, StatsView view, Duration emitInterval, AnalyticsMetrics metrics) {
        this.aggregation = aggregation;
        this.view = view;
        this.emitInterval = emitInterval;
        this.metrics = metrics;
    }

    @Override
    public Processor<String, StatsDelta, String, BotStats> get() {
        return new BucketStepProcessor();
    }

    private final class BucketStepProcessor implements Processor<String, StatsDelta, String, BotStats> {

        private ProcessorContext<String, BotStats> context;
        private final Map<Period, WindowStore<String, BucketState>> buckets = new EnumMap<>(Period.class);
        /** Buckets updated after this were not published yet. After a restart everything is published once more. */
        private Instant publishedUpTo = Instant.EPOCH;

        @Override
        public void init(ProcessorContext<String, BotStats> context) {
            this.context = context;
            for (Period period : Period.values()) {
                buckets.put(period, context.getStateStore(AnalyticsStores.buckets(period)));
            }
            context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, this::publish);
        }

        @Override
        public void process(Record<String, StatsDelta> record) {
            StatsDelta delta = record.value();
            if (delta == null) {
                metrics.skipped("unreadable-delta");
                return;
            }
            Period period = Period.fromLabel(delta.getPeriod());
            WindowStore<String, BucketState> store = buckets.get(period);
            long bucket = delta.getBucketStart().toEpochMilli();
            BucketState current = store.fetch(delta.getBot(), bucket);
            if (current == null) {
                current = BucketAggregation.empty(delta.getBot(), period, delta.getBucketStart());
            }
            store.put(delta.getBot(), aggregation.add(current, delta, Instant.ofEpochMilli(context.currentSystemTimeMs())), bucket);
        }

        private void publish(long now) {
            Instant since = publishedUpTo;
            for (Map.Entry<Period, WindowStore<String, BucketState>> store : buckets.entrySet()) {
                try (KeyValueIterator<Windowed<String>, BucketState> all = store.getValue().all()) {
                    while (all.hasNext()) {
                        KeyValue<Windowed<String>, BucketState> bucket = all.next();
                        metrics.bucket(bucket.value, view::of);
                        // Not before: an update in the very millisecond of the last publication is published again, never lost.
                        if (!bucket.value.getUpdatedAt().isBefore(since)) {
                            context.forward(new Record<>(StatsView.key(bucket.value), view.of(bucket.value), now));
                        }
                    }
                }
            }
            publishedUpTo = Instant.ofEpochMilli(now);
        }
    }
}
