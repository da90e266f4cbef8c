package io.parley.processor.topology;

import io.parley.processor.conversation.AlertContext;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.schemas.ChatReply;
import io.parley.schemas.state.Session;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stores a delivered trigger-rule alert in its conversation's session, for the flow's next intents
 * ({@code {{alert.*}}}, see {@link AlertContext}). It reads the {@code alert-deliveries} repartition topic (the alert
 * replies of the notification delivery step, keyed by conversation id) in the conversation sub-topology, sharing its
 * {@code sessions} store: no turn starts, nothing is sent. Only the alert changes, so the session's timers and
 * expiry (derived from its turn and last activity) stay as they are and the store is written directly (the conversation
 * processor's {@link SessionCache} is told to forget the session).
 *
 * <p>A session that does not exist (expired, erased, or kept by another task because the conversation's producers do
 * not partition like Java's murmur2, see {@code ConversationPartitionCheck}) learns nothing: the alert is skipped and
 * counted ({@code parley.skipped.records{reason=alert-without-session}}).
 */
final class AlertDeliveryProcessor implements Processor<String, ChatReply, Void, Void> {

    static final String NO_SESSION = "alert-without-session";

    private final ProcessorMetrics metrics;
    private final SessionCaches caches;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, Session> sessions;
    private SkippedRecords skipped;

    AlertDeliveryProcessor(ProcessorMetrics metrics, SessionCaches caches) {
        this.metrics = metrics;
        this.caches = caches;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.sessions = context.getStateStore(StoreNames.SESSIONS);
        this.skipped = new SkippedRecords(metrics);
    }

    @Override
    public void process(Record<String, ChatReply> record) {
        ChatReply reply = record.value();
        if (reply == null || record.key() == null || !record.key().equals(reply.getConversationId())) {
            skipped.skip(context, "alert-delivery-not-keyed-by-conversation");
            return;
        }
        Session stored = sessions.get(record.key());
        Optional<Session> updated = AlertContext.delivered(stored, reply.getUserId(), reply.getData());
        if (updated.isPresent()) {
            sessions.put(record.key(), updated.get());
            // The conversation processor reads this store through its cache, which must not keep the session before.
            caches.forget(context.taskId(), record.key());
        } else {
            skipped.skip(context, NO_SESSION);
        }
    }
}
