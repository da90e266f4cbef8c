package io.parley.analytics.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.analytics.Period;
import io.parley.schemas.AuditKind;
import io.parley.schemas.analytics.BotStats;
import io.parley.schemas.analytics.BucketState;
import io.parley.schemas.analytics.ConnectorLatency;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The analytics' metrics. Of the current (latest) hour and day of each bot, as gauges tagged
 * {@code bot} and {@code period}: {@code parley_analytics_conversations}, {@code _turns},
 * {@code _containment_ratio}, {@code _fallback_ratio}, {@code _timeout_ratio} (NaN while there is
 * nothing to divide by) and {@code parley_analytics_backend_latency_seconds{connector,quantile}}
 * (0.5, 0.95, 0.99). Counters: {@code parley_analytics_audit_records_total{bot,kind}} and
 * {@code parley_analytics_skipped_records_total{reason}}.
 */
public final class AnalyticsMetrics {

    private final MeterRegistry registry;
    /** The latest bucket of each bot and period, as published. */
    private final Map<String, BotStats> latest = new ConcurrentHashMap<>();

    public AnalyticsMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void auditRecord(String bot, AuditKind kind) {
        Counter.builder("parley.analytics.audit.records").description("Audit records read, by bot and kind")
                .tag("bot", bot).tag("kind", kind.name()).register(registry).increment();
    }

    /** A record was skipped (logged at WARN with topic, partition and offset by the caller). */
    public void skipped(String reason) {
        Counter.builder("parley.analytics.skipped.records").description("Records skipped, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    /** Shows {@code bucket} in the gauges when it is its bot's latest of its period. */
    public void bucket(BucketState bucket, Function<BucketState, BotStats> view) {
        String key = bucket.getBot() + "/" + bucket.getPeriod();
        BotStats shown = latest.get(key);
        if (shown != null && (shown.getBucketStart().isAfter(bucket.getBucketStart())
                || shown.getBucketStart().equals(bucket.getBucketStart()) && !bucket.getUpdatedAt().isAfter(shown.getUpdatedAt()))) {
            return;
        }
        BotStats stats = view.apply(bucket);
        if (latest.put(key, stats) == null) {
            registerGauges(key, bucket.getBot(), Period.fromLabel(bucket.getPeriod()));
        }
        stats.getConnectors().keySet().forEach(connector -> registerLatency(key, bucket.getBot(), bucket.getPeriod(), connector));
    }

    private void registerGauges(String key, String bot, Period period) {
        gauge("parley.analytics.conversations", "Conversations active in the current bucket", key, bot, period,
                stats -> stats.getConversations());
        gauge("parley.analytics.turns", "User messages in the current bucket", key, bot, period, stats -> stats.getTurns());
        gauge("parley.analytics.containment.ratio", "Conversations without fallback or hand-over, of all, in the current bucket",
                key, bot, period, stats -> orNaN(stats.getContainmentRate()));
        gauge("parley.analytics.fallback.ratio", "Fallback replies per user message in the current bucket", key, bot, period,
                stats -> orNaN(stats.getFallbackRate()));
        gauge("parley.analytics.timeout.ratio", "Deadlines passed per user message in the current bucket", key, bot, period,
                stats -> orNaN(stats.getTimeoutRate()));
    }

    private void gauge(String name, String description, String key, String bot, Period period, ToDoubleFunction<BotStats> value) {
        Gauge.builder(name, latest, map -> map.containsKey(key) ? value.applyAsDouble(map.get(key)) : Double.NaN)
                .description(description).tag("bot", bot).tag("period", period.label()).register(registry);
    }

    private void registerLatency(String key, String bot, String period, String connector) {
        Map<String, ToDoubleFunction<ConnectorLatency>> quantiles = Map.of("0.5", ConnectorLatency::getP50Ms,
                "0.95", ConnectorLatency::getP95Ms, "0.99", ConnectorLatency::getP99Ms);
        quantiles.forEach((quantile, millis) -> Gauge.builder("parley.analytics.backend.latency", latest, map -> {
                    BotStats stats = map.get(key);
                    ConnectorLatency latency = stats == null ? null : stats.getConnectors().get(connector);
                    return latency == null ? Double.NaN : millis.applyAsDouble(latency) / 1000.0;
                })
                .description("Backend latency of a connector in the current bucket, from the audit stream")
                .baseUnit("seconds").tag("bot", bot).tag("period", period).tag("connector", connector).tag("quantile", quantile)
                .register(registry));
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
