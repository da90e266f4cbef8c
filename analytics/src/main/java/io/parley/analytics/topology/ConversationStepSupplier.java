package io.parley.analytics.topology;

import io.parley.analytics.ConversationStep;
import io.parley.analytics.Period;
import io.parley.analytics.ops.AnalyticsMetrics;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.AuditKind;
import io.parley.schemas.analytics.InboundText;
import io.parley.schemas.analytics.StatsDelta;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation step: reads audit records (keyed by conversation), keeps per conversation what
 * the buckets need (seen, contained, its last message), and forwards one {@link StatsDelta} per
 * bucket the record changes, keyed by bot.
 */
final class ConversationStepSupplier implements ProcessorSupplier<String, AuditEvent, String, StatsDelta> {

    /** How long a user message is kept to name the utterance of a NO_MATCH that follows it. */
    static final Duration INBOUND_KEPT = Duration.ofHours(1);
    /**
     * Records later than this behind the stream time are skipped (and counted): the marks of their
     * hour may be gone, and counting them again would count their conversation twice.
     */
    static final Duration LATENESS = Duration.ofHours(1);

    private final Map<String, String> botsByTopic;
    private final ConversationStep step;
    private final AnalyticsMetrics metrics;

    ConversationStepSupplier(Map<String, String> botsByTopic, ConversationStep step, AnalyticsMetrics metrics) {
        this.botsByTopic = Map.copyOf(botsByTopic);
        this.step = step;
        this.metrics = metrics;
    }

    @Override
    public Processor<String, AuditEvent, String, StatsDelta> get() {
        return new ConversationStepProcessor();
    }

    private final class ConversationStepProcessor implements Processor<String, AuditEvent, String, StatsDelta> {

        private static final Logger LOG = LoggerFactory.getLogger(ConversationStepProcessor.class);

        private ProcessorContext<String, StatsDelta> context;
        private WindowStore<String, InboundText> lastInbound;
        private final Map<Period, WindowStore<String, Integer>> marks = new EnumMap<>(Period.class);

        @Override
        public void init(ProcessorContext<String, StatsDelta> context) {
            this.context = context;
            this.lastInbound = context.getStateStore(AnalyticsStores.LAST_INBOUND);
            for (Period period : Period.values()) {
                marks.put(period, context.getStateStore(AnalyticsStores.marks(period)));
            }
        }

        @Override
        public void process(Record<String, AuditEvent> record) {
            AuditEvent event = record.value();
            Optional<RecordMetadata> source = context.recordMetadata();
            String topic = source.map(RecordMetadata::topic).orElse("?");
            String bot = botsByTopic.get(topic);
            if (event == null || bot == null) {
                skip("unreadable", topic, source);
                return;
            }
            // A TURN record (the processor's audit.mode turn) counts as the steps it carries, in order.
            for (AuditEvent step : AuditSteps.of(event)) {
                processStep(record, bot, step, topic, source);
            }
        }

        private void processStep(Record<String, AuditEvent> record, String bot, AuditEvent event, String topic,
                                 Optional<RecordMetadata> source) {
            metrics.auditRecord(bot, event.getKind());
            if (event.getConversationId() == null) {
                return;
            }
            Instant at = event.getOccurredAt();
            if (at.isBefore(Instant.ofEpochMilli(context.currentStreamTimeMs()).minus(LATENESS))) {
                skip("too-old", topic, source);
                return;
            }
            String conversation = bot + "|" + event.getConversationId();
            if (event.getKind() == AuditKind.INBOUND && event.getText() != null && event.getEventId() != null) {
                lastInbound.put(conversation, InboundText.newBuilder().setEventId(event.getEventId()).setText(event.getText()).build(),
                        at.toEpochMilli());
            }
            Optional<String> noMatchText = event.getKind() == AuditKind.NO_MATCH ? inboundText(conversation, event) : Optional.empty();
            for (Period period : Period.values()) {
                WindowStore<String, Integer> store = marks.get(period);
                long bucket = period.bucketStart(at).toEpochMilli();
                Integer before = store.fetch(conversation, bucket);
                ConversationStep.Result result = step.apply(bot, period, event, before == null ? 0 : before, noMatchText);
                if (before == null || result.marks() != before) {
                    store.put(conversation, result.marks(), bucket);
                }
                result.delta().ifPresent(delta -> context.forward(record.withKey(bot).withValue(delta)));
            }
        }

        /** The text of the user message a NO_MATCH answers: the same event, within the hour before it. */
        private Optional<String> inboundText(String conversation, AuditEvent noMatch) {
            long to = noMatch.getOccurredAt().toEpochMilli();
            try (WindowStoreIterator<InboundText> texts = lastInbound.backwardFetch(conversation, to - INBOUND_KEPT.toMillis(), to)) {
                while (texts.hasNext()) {
                    KeyValue<Long, InboundText> text = texts.next();
                    if (text.value.getEventId().equals(noMatch.getEventId())) {
                        return Optional.of(text.value.getText());
                    }
                }
            }
            return Optional.empty();
        }

        private void skip(String reason, String topic, Optional<RecordMetadata> source) {
            LOG.warn("Skipped an audit record ({}): topic {} partition {} offset {}", reason, topic,
                    source.map(RecordMetadata::partition).orElse(-1), source.map(RecordMetadata::offset).orElse(-1L));
            metrics.skipped(reason);
        }
    }
}
