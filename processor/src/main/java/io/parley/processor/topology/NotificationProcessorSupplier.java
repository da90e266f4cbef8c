package io.parley.processor.topology;

import io.parley.runtime.tracing.Tracing;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.parley.processor.audit.AuditTrail;
import io.parley.processor.audit.TextLimit;
import io.parley.processor.conversation.Ids;
import io.parley.processor.flow.NotificationTemplate;
import io.parley.processor.ops.RefusedRecordException;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Notification;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.UserContact;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Delivers notifications joined with the user directory: once per notification id, on the
 * channel of the user's latest conversation (or the channel the notification asks for). Expired
 * notifications are dropped and audited EXPIRED, those for unknown users audited UNDELIVERABLE.
 * A notification that cannot be rendered (no text, a template that is not plain placeholders,
 * see {@link NotificationTemplate}) is refused to the dead-letter topic with the reason.
 *
 * <p>The W3C trace context a notification came with ({@code traceparent}) goes on with its reply and
 * audit record; no other header of the producer's is copied.
 */
public final class NotificationProcessorSupplier implements ProcessorSupplier<String, AddressedNotification, String, SpecificRecord> {

    /** Why a notification that cannot be made into a message is refused (metric tag, dead-letter reason). */
    static final String NOTIFICATION_REFUSED = "notification-not-renderable";

    private final AuditTrail audit;
    private final int maxReplyChars;
    private final Duration dedupeWindow;
    private final ProcessorMetrics metrics;
    private final Tracing tracing;

    /** @param maxReplyChars the longest notification text; a longer one is cut */
    public NotificationProcessorSupplier(AuditTrail audit, int maxReplyChars, Duration dedupeWindow, ProcessorMetrics metrics,
                                         Tracing tracing) {
        this.tracing = tracing;
        this.audit = audit;
        this.maxReplyChars = maxReplyChars;
        this.dedupeWindow = dedupeWindow;
        this.metrics = metrics;
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(StoreNames.NOTIFICATION_IDS, dedupeWindow, dedupeWindow, false),
                Serdes.String(), Serdes.Long()));
    }

    @Override
    public Processor<String, AddressedNotification, String, SpecificRecord> get() {
        return new NotificationProcessor();
    }

    private final class NotificationProcessor implements Processor<String, AddressedNotification, String, SpecificRecord> {

        private ProcessorContext<String, SpecificRecord> context;
        private Deduplicator notificationIds;
        private SkippedRecords skipped;

        @Override
        public void init(ProcessorContext<String, SpecificRecord> context) {
            this.context = context;
            WindowStore<String, Long> seen = context.getStateStore(StoreNames.NOTIFICATION_IDS);
            this.notificationIds = new Deduplicator(seen, dedupeWindow);
            this.skipped = new SkippedRecords(metrics);
        }

        @Override
        public void process(Record<String, AddressedNotification> record) {
            Notification notification = record.value() == null ? null : record.value().notification();
            if (notification == null) {
                skipped.skip(context, "no value");
                return;
            }
            long now = context.currentSystemTimeMs();
            String id = notification.getNotificationId();
            if (notificationIds.seenBefore(id, record.timestamp())) {
                outcome(record, AuditKind.DUPLICATE, null, now, "duplicate");
                metrics.duplicate("notification");
                return;
            }
            if (notification.getExpiresAt() != null && notification.getExpiresAt().toEpochMilli() <= now) {
                notificationIds.remember(id, record.timestamp());
                outcome(record, AuditKind.EXPIRED, null, now, "expired");
                return;
            }
            UserContact contact = record.value().contact();
            if (contact == null) {
                notificationIds.remember(id, record.timestamp());
                outcome(record, AuditKind.UNDELIVERABLE, null, now, "undeliverable");
                return;
            }
            // Rendered before anything is stored: a failure leaves no trace but the dead letter.
            String text = text(notification, contact);
            notificationIds.remember(id, record.timestamp());
            String channel = notification.getChannel() != null ? notification.getChannel() : contact.getChannel();
            ChatReply reply = ChatReply.newBuilder()
                    .setReplyId(Ids.reply(id, ReplyKind.NOTIFICATION))
                    .setConversationId(contact.getConversationId())
                    .setUserId(notification.getUserId())
                    .setChannel(channel)
                    .setInReplyTo(null)
                    .setKind(ReplyKind.NOTIFICATION)
                    .setText(text)
                    .setQuickReplies(List.of())
                    .setData(notification.getData())
                    .setCreatedAt(Instant.ofEpochMilli(now))
                    .build();
            context.forward(new Record<>(contact.getConversationId(), reply, record.timestamp(), traceOf(record)));
            outcome(record, AuditKind.NOTIFICATION, contact, now, "delivered");
        }

        private String text(Notification notification, UserContact contact) {
            if (notification.getTemplate() != null) {
                Map<String, String> values = new HashMap<>(notification.getData());
                notification.getData().forEach((name, value) -> values.put("data." + name, value));
                values.put("user.id", notification.getUserId());
                values.put("user.channel", contact.getChannel());
                try {
                    String text = NotificationTemplate.render(notification.getTemplate(), values, maxReplyChars).strip();
                    if (text.isEmpty()) {
                        throw new IllegalArgumentException("the template rendered an empty message");
                    }
                    return text;
                } catch (IllegalArgumentException e) {
                    throw new RefusedRecordException(NOTIFICATION_REFUSED, "notification template: " + e.getMessage());
                }
            }
            if (notification.getText() == null || notification.getText().isBlank()) {
                throw new RefusedRecordException(NOTIFICATION_REFUSED,
                        "notification " + notification.getNotificationId() + " has neither text nor template");
            }
            return TextLimit.cut(notification.getText(), maxReplyChars);
        }

        private void outcome(Record<String, AddressedNotification> record, AuditKind kind, UserContact contact, long now,
                             String metricOutcome) {
            Notification notification = record.value().notification();
            String subject = Ids.audit(notification.getNotificationId(), kind);
            AuditTrail.Entry entry = audit.entry(kind, kind == AuditKind.DUPLICATE ? subject + "/" + position() : subject,
                            notification.getUserId(), now)
                    .event(notification.getNotificationId())
                    .status(notification.getPriority().name())
                    .text(notification.getText());
            if (contact != null) {
                entry.conversation(contact.getConversationId()).channel(contact.getChannel());
            }
            AuditEvent event = entry.build();
            String key = event.getConversationId() != null ? event.getConversationId() : event.getUserRef();
            context.forward(new Record<>(key, event, record.timestamp(), traceOf(record)));
            metrics.notification(metricOutcome);
        }

        private String position() {
            return context.recordMetadata().map(SkippedRecords::position).orElse("unknown");
        }

        private Headers traceOf(Record<String, AddressedNotification> record) {
            Headers headers = new RecordHeaders();
            tracing.inject(tracing.extract(record.headers()), headers);
            return headers;
        }
    }
}
