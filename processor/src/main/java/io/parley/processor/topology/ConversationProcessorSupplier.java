package io.parley.processor.topology;

import io.parley.processor.config.ConversationSettings;
import io.parley.processor.conversation.ConversationEngine;
import io.parley.processor.conversation.ConversationEngines;
import io.parley.processor.conversation.Outcome;
import io.parley.processor.conversation.SessionOwnership;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RefusedRecordException;
import io.parley.processor.tables.GlobalTables;
import io.parley.runtime.tracing.Tracing;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.state.Session;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The conversation step: chat events and backend answers of a conversation (both keyed by its id,
 * co-partitioned, so one task sees them all, in order) go through the {@link ConversationEngine};
 * the session and its time indexes are stored, and the requests, replies and audit records are
 * forwarded. A wall-clock punctuator fires due deadlines and interims and expires idle sessions.
 *
 * <p>An event whose user may not act on the conversation ({@link SessionOwnership}) is audited
 * SECURITY and refused to the dead-letter topic; nothing is stored. Accepted chat events are
 * forwarded as well, for the user directory, when {@link DirectoryRefresh} says they change where
 * the user is reached: only an event the conversation accepted may say that.
 */
public final class ConversationProcessorSupplier implements ProcessorSupplier<String, SpecificRecord, String, SpecificRecord> {

    /** Why a record keyed by something other than its conversation id is refused (metric tag, dead-letter reason). */
    static final String KEY_NOT_CONVERSATION_ID = "key-not-conversation-id";

    /** Due entries handled per punctuation and index; the rest are handled by the next one. */
    static final int MAX_DUE_PER_PUNCTUATION = 10_000;

    private final ConversationEngines engines;
    private final GlobalTables tables;
    private final ConversationSettings settings;
    private final SessionCaches caches;
    private final Serde<Session> sessionSerde;
    private final ProcessorMetrics metrics;
    private final SessionOwnership ownership;
    private final InputCheck inputs;
    private final TurnBudget budget;
    private final TurnSpans spans;
    private final DirectoryRefresh directory;
    private final boolean recordCache;

    /**
     * @param tracing the spans of turns and backend requests, and the trace context of the records written
     * @param recordCache whether {@code sessions} and {@code deadlines} keep their writes in Kafka Streams' record cache
     *     until the commit: under at-least-once (a commit a second) most turns end within one, and the session's two
     *     writes and the deadline entry's put and delete each reach the changelog as one record. Under exactly-once the
     *     answer comes after the commit that sent the request, so nothing would merge.
     */
    public ConversationProcessorSupplier(ConversationEngines engines, GlobalTables tables, ConversationSettings settings, SessionCaches caches,
                                         Serde<Session> sessionSerde, ProcessorMetrics metrics, SessionOwnership ownership,
                                         InputCheck inputs, TurnBudget budget, Tracing tracing, boolean recordCache) {
        this.engines = engines;
        this.tables = tables;
        this.spans = new TurnSpans(tracing);
        this.budget = budget;
        this.ownership = ownership;
        this.inputs = inputs;
        this.settings = settings;
        this.caches = caches;
        this.sessionSerde = sessionSerde;
        this.metrics = metrics;
        this.directory = new DirectoryRefresh(settings.directoryRefresh());
        this.recordCache = recordCache;
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        Duration window = settings.dedupeWindow();
        StoreBuilder<KeyValueStore<String, Session>> sessions =
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SESSIONS), Serdes.String(), sessionSerde);
        StoreBuilder<KeyValueStore<Bytes, String>> deadlines =
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.DEADLINES), Serdes.Bytes(), Serdes.String());
        // event-ids stays written through: after a crash its entry may be ahead of the session, never behind it, and
        // the session tells which (ConversationEventIds).
        return Set.of(
                recordCache ? sessions.withCachingEnabled() : sessions,
                recordCache ? deadlines.withCachingEnabled() : deadlines,
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SESSION_EXPIRY), Serdes.Bytes(), Serdes.String()),
                Stores.windowStoreBuilder(Stores.persistentWindowStore(StoreNames.EVENT_IDS, window, window, false),
                        Serdes.String(), Serdes.Long()));
    }

    @Override
    public Processor<String, SpecificRecord, String, SpecificRecord> get() {
        return new ConversationProcessor();
    }

    private final class ConversationProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

        private ProcessorContext<String, SpecificRecord> context;
        private SessionRepository sessions;
        private SessionCache cache;
        private ConversationEventIds eventIds;
        private SkippedRecords skipped;
        private String task;

        @Override
        public void init(ProcessorContext<String, SpecificRecord> context) {
            this.context = context;
            this.task = context.taskId().toString();
            KeyValueStore<String, Session> sessionStore = context.getStateStore(StoreNames.SESSIONS);
            KeyValueStore<Bytes, String> deadlines = context.getStateStore(StoreNames.DEADLINES);
            KeyValueStore<Bytes, String> expiries = context.getStateStore(StoreNames.SESSION_EXPIRY);
            WindowStore<String, Long> seen = context.getStateStore(StoreNames.EVENT_IDS);
            this.cache = caches.open(context.taskId());
            this.sessions = new SessionRepository(sessionStore, cache, deadlines, expiries, settings.sessionTtl(), metrics, task);
            this.eventIds = new ConversationEventIds(new Deduplicator(seen, settings.dedupeWindow()));
            this.skipped = new SkippedRecords(metrics);
            // The engine's lookups read the global table stores, reachable only through a context.
            tables.attach(context::getStateStore);
            context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        }

        @Override
        public void process(Record<String, SpecificRecord> record) {
            // Readiness sees a thread that stays on one record (metrics.progress()).
            metrics.progress().busy(() -> handle(record));
        }

        private void handle(Record<String, SpecificRecord> record) {
            if (record.key() == null) {
                throw new RefusedRecordException(KEY_NOT_CONVERSATION_ID, "the record has no key; it must be keyed by its conversation id");
            }
            if (record.value() instanceof ChatEvent event) {
                onChatEvent(record, event);
            } else if (record.value() instanceof BackendResponse response) {
                onResponse(record, response);
            } else {
                skipped.skip(context, "no value");
            }
        }

        private void onChatEvent(Record<String, SpecificRecord> record, ChatEvent event) {
            if (!record.key().equals(event.getConversationId())) {
                // Keyed by something else, the event may sit in another task than its conversation.
                throw new RefusedRecordException(KEY_NOT_CONVERSATION_ID,
                        "the key is not the chat event's conversation id (a plain UTF-8 or registry-framed Avro string key is expected)");
            }
            Optional<InputCheck.Violation> oversized = inputs.violation(event);
            if (oversized.isPresent() && !oversized.get().answerable()) {
                // Checked before anything is read or stored: such an id would be in every record of the turn.
                throw new RefusedRecordException(InputCheck.FIELD_TOO_LARGE, oversized.get().detail());
            }
            long now = context.currentSystemTimeMs();
            TurnSpans.Started turn = spans.begin(event.getEventId(), record.headers(), now);
            Session stored = sessions.get(record.key());
            // The turn in flight finishes on its flow version; otherwise the newest the processor has read.
            ConversationEngine engine = engines.forSession(stored);
            Optional<String> refusal = ownership.refusal(stored, event);
            if (refusal.isPresent()) {
                // Nothing is stored (not even the event id): the audit record goes out, the record to the dead letters.
                emit(engine.onRefusedEvent(event, refusal.get(), now), record.timestamp(), spans.passOn(turn));
                throw new RefusedRecordException(SessionOwnership.REFUSED, refusal.get());
            }
            if (oversized.isPresent()) {
                // The user hears why (an ERROR reply), the event goes to the dead letters, the session is untouched.
                emit(engine.onOversizedEvent(event, oversized.get().detail(), now), record.timestamp(), spans.passOn(turn));
                throw new RefusedRecordException(InputCheck.FIELD_TOO_LARGE, oversized.get().detail());
            }
            long offset = context.recordMetadata().orElseThrow().offset();
            ConversationEventIds.Sighting sighting = eventIds.sighting(record.key(), event.getEventId(), record.timestamp(), offset, stored);
            if (!sighting.applies()) {
                if (sighting == ConversationEventIds.Sighting.REPLAY_APPLIED) {
                    // The session reached its changelog, its deadline entries (cached as well) perhaps not.
                    sessions.restoreTimers(record.key(), stored);
                }
                emit(engine.onDuplicateEvent(event, position(), now), record.timestamp(), spans.passOn(turn));
                return;
            }
            if (sighting == ConversationEventIds.Sighting.FIRST) {
                eventIds.remember(record.key(), event.getEventId(), record.timestamp(), offset);
            }
            if (directory.publishes(stored, event, now)) {
                context.forward(new Record<String, SpecificRecord>(record.key(), event, record.timestamp()));
            }
            long started = budget.start();
            Outcome outcome = engine.onChatEvent(stored, event, now);
            if (budget.exceeded(started)) {
                outcome = engine.onChatEventOverBudget(stored, event, now);
            }
            outcome.session().ifPresent(session -> session.setLastEventOffset(offset));
            TurnSpans.Step traced = spans.follow(stored, outcome.session().orElse(null), turn, null, now);
            sessions.save(record.key(), stored, outcome.session());
            emit(outcome, record.timestamp(), traced);
        }

        private void onResponse(Record<String, SpecificRecord> record, BackendResponse response) {
            if (!record.key().equals(response.getConversationId())) {
                throw new RefusedRecordException(KEY_NOT_CONVERSATION_ID, "the key is not the backend response's conversation id");
            }
            Session stored = sessions.get(record.key());
            if (stored == null) {
                // Erased, ended or expired while the call was out; nobody is waiting for it.
                skipped.skip(context, "no session for the response");
                return;
            }
            ConversationEngine engine = engines.forResponse(stored, response);
            long started = budget.start();
            Outcome outcome = engine.onResponse(stored, response, position(), context.currentSystemTimeMs());
            if (budget.exceeded(started)) {
                outcome = engine.onResponseOverBudget(stored, response, context.currentSystemTimeMs());
            }
            TurnSpans.Step traced = spans.follow(stored, outcome.session().orElse(null), null, response, context.currentSystemTimeMs());
            sessions.save(record.key(), stored, outcome.session());
            emit(outcome, record.timestamp(), traced);
        }

        private void punctuate(long now) {
            metrics.progress().busy(() -> metrics.timePunctuation(() -> fireDue(now)));
        }

        private void fireDue(long now) {
            sessions.dueTimers(now, MAX_DUE_PER_PUNCTUATION).forEach((conversationId, due) -> {
                Session stored = sessions.get(conversationId);
                if (stored != null) {
                    Outcome outcome = engines.forSession(stored).onTimers(stored, now);
                    TurnSpans.Step traced = spans.follow(stored, outcome.session().orElse(null), null, null, now);
                    sessions.save(conversationId, stored, outcome.session());
                    emit(outcome, now, traced);
                }
                sessions.settleTimers(conversationId, due);
            });
            int expired = 0;
            for (KeyValue<TimeIndexKey, String> entry : sessions.dueExpiries(now, MAX_DUE_PER_PUNCTUATION)) {
                Session stored = sessions.get(entry.value);
                if (stored == null || !sessions.isIndexedAt(stored, entry.key)) {
                    // Its session is gone, or has its own entry elsewhere: a leftover, dropped.
                    sessions.dropExpiryEntry(entry.key);
                    continue;
                }
                if (sessions.isExpired(stored, now)) {
                    Outcome outcome = engines.forSession(stored).onExpiry(stored, now);
                    TurnSpans.Step traced = spans.follow(stored, null, null, null, now);
                    sessions.deleteExpired(entry.value, stored, entry.key);
                    emit(outcome, now, traced);
                    expired++;
                } else {
                    // Active since the entry was written (entries are not moved on every turn), or the time to live
                    // was raised: look again when it can expire.
                    sessions.dropExpiryEntry(entry.key);
                    sessions.reindexExpiry(entry.value, stored);
                }
            }
            if (expired > 0) {
                metrics.sessionsExpired(expired);
            }
        }

        private void emit(Outcome outcome, long timestamp, TurnSpans.Step traced) {
            // The answer must come back to this task's partition, which the channel's partitioner chose, not
            // necessarily the one Java's murmur2 would pick for the key (librdkafka clients hash with CRC32).
            int partition = context.taskId().partition();
            outcome.requests().forEach(request -> request.setReplyPartition(partition));
            outcome.requests().forEach(r -> forward(r.getConversationId(), r, timestamp, traced));
            outcome.replies().forEach(r -> forward(r.getConversationId(), r, timestamp, traced));
            outcome.audits().forEach(a -> forward(a.getConversationId(), a, timestamp, traced));
            // Keyed by device: the trigger-rules step reads them co-partitioned with iot.telemetry.
            outcome.mutes().forEach(m -> forward(m.getDeviceId(), m, timestamp, traced));
        }

        private void forward(String key, SpecificRecord value, long timestamp, TurnSpans.Step traced) {
            context.forward(new Record<>(key, value, timestamp, traced.headersFor(value)));
        }

        private String position() {
            return context.recordMetadata().map(SkippedRecords::position).orElse("punctuation");
        }

        @Override
        public void close() {
            caches.close(context.taskId(), cache);
            metrics.forgetTask(task);
        }
    }
}
