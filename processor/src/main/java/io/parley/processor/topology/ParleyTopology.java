package io.parley.processor.topology;

import io.parley.processor.conversation.AlertContext;
import io.parley.processor.conversation.ConversationEngine;
import io.parley.processor.conversation.ConversationEngines;
import io.parley.processor.conversation.SessionOwnership;
import io.parley.processor.tables.GlobalTables;
import io.parley.processor.tables.TableTopology;
import io.parley.processor.telemetry.TelemetryTopology;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.MuteCommand;
import io.parley.schemas.Notification;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.UserContact;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.ValueMapper;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Builds Parley's topology from its settings; no I/O, no side effects. Two sub-topologies:
 * <ol>
 *   <li>Conversations: {@code chat.events} and {@code backend.responses} (co-partitioned by
 *       conversation id) feed the {@code conversation} step, whose requests, replies and audit
 *       records go to their topics. The chat events it accepts that move a user (DirectoryRefresh) update the user directory through the
 *       {@code user-contacts} repartition topic, re-keyed by user id (an ERASE as a tombstone), past the
 *       {@code conversation-partition-check}, which notices conversations whose events arrive on several
 *       partitions.</li>
 *   <li>Notifications: {@code notifications.requests} (keyed by user id) joined with the
 *       {@code user-directory} table, then the {@code notification-delivery} step. The join makes
 *       Kafka Streams give the repartition topic the notifications' partition count.</li>
 * </ol>
 * The flows' reference tables are global stores ({@link TableTopology}), read by the conversation step.
 * With a rules file, a third input: {@code iot.telemetry} through the trigger rules ({@link TelemetryTopology}), whose
 * alerts join the notifications before their repartition; the alerts delivered go back to their conversations' sessions
 * through the {@code alert-deliveries} repartition topic.
 * Every node, store and internal topic is named here; a test pins the names.
 */
public final class ParleyTopology {

    public static final String CHAT_EVENTS_SOURCE = "chat-events-source";
    public static final String BACKEND_RESPONSES_SOURCE = "backend-responses-source";
    public static final String CONVERSATION = "conversation";
    public static final String NOTIFICATIONS_SOURCE = "notifications-source";
    public static final String NOTIFICATION_KEY_CHECK = "notification-key-check";
    public static final String CONVERSATION_PARTITION_CHECK = "conversation-partition-check";
    public static final String NOTIFICATION_DELIVERY = "notification-delivery";
    /** Keeps a delivered alert in its conversation's session (only with a rules file). */
    public static final String ALERT_TO_SESSION = "alert-to-session";

    private ParleyTopology() {
    }

    public static Topology build(TopologySettings settings) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(settings.streamsProperties())));
        Topics topics = settings.topics();
        Serde<ChatReply> replySerde = topics.defaultReplies().valueSerde();
        ReplyTopicExtractor replyTopics = new ReplyTopicExtractor(settings.replyRoutes());

        KStream<String, ChatEvent> chatEvents = builder.stream(topics.chatEvents().name(), consumed(topics.chatEvents(), CHAT_EVENTS_SOURCE));
        KStream<String, BackendResponse> responses = builder.stream(topics.backendResponses().name(),
                consumed(topics.backendResponses(), BACKEND_RESPONSES_SOURCE));
        KStream<String, BackendResponse> alertResponses = null;
        if (settings.telemetryRules().makesCalls()) {
            // The answers of a fired rule's calls go to the alert waiting for them, not to the conversation step.
            alertResponses = responses.filter((key, response) -> TelemetryTopology.isAlertAnswer(response), Named.as("alert-responses"));
            responses = responses.filterNot((key, response) -> TelemetryTopology.isAlertAnswer(response),
                    Named.as("conversation-responses"));
        }
        KStream<String, SpecificRecord> conversationInputs = chatEvents
                .<SpecificRecord>mapValues(event -> event, Named.as("chat-events-as-input"))
                .merge(responses.<SpecificRecord>mapValues(response -> response, Named.as("backend-responses-as-input")),
                        Named.as("conversation-inputs"));
        // The flows' reference tables: global stores, read by lookups and slot entities within the turn.
        TableTopology.add(builder, settings.flows().tables().values(), topics.registry(), settings.metrics());
        GlobalTables tables = new GlobalTables(List.copyOf(settings.flows().tables().keySet()));
        SessionCaches sessionCaches = new SessionCaches(settings.conversation().sessionCache());
        KStream<String, SpecificRecord> conversationOutputs = conversationInputs.process(
                new ConversationProcessorSupplier(conversationEngines(settings, tables), tables, settings.conversation(), sessionCaches,
                        settings.sealing().wrap(stateSerde(Session.class, settings)), settings.metrics(),
                        new SessionOwnership(settings.channels()::sharesConversations), new InputCheck(settings.inputs()),
                        TurnBudget.of(settings.limits().turnCpuBudget()), settings.tracing(), atLeastOnce(settings.streamsProperties())),
                Named.as(CONVERSATION));
        conversationOutputs.flatMapValues(only(BackendRequest.class), Named.as("conversation-requests"))
                .to(topics.backendRequests().name(), produced(topics.backendRequests(), "backend-requests-sink"));
        conversationOutputs.flatMapValues(only(ChatReply.class), Named.as("conversation-replies"))
                .to(replyTopics, Produced.with(Serdes.String(), replySerde).withName("conversation-replies-sink"));
        conversationOutputs.flatMapValues(only(AuditEvent.class), Named.as("conversation-audit"))
                .to(topics.audit().name(), produced(topics.audit(), "conversation-audit-sink"));

        Serde<UserContact> contactSerde = stateSerde(UserContact.class, settings);
        // Fed by the events the conversation step accepted: an event refused there (another user's
        // conversation) must not point its user's notifications at that conversation.
        KTable<String, UserContact> directory = conversationOutputs
                .flatMapValues(only(ChatEvent.class), Named.as("accepted-chat-events"))
                .process(ContactByUser::new, Named.as("user-contact-by-user"))
                .repartition(Repartitioned.with(Serdes.String(), contactSerde).withName(StoreNames.USER_CONTACTS_REPARTITION))
                // Here one task sees all of a user's events, whatever partition they came from: the place to notice a
                // conversation whose producers partition it differently.
                .processValues(() -> new ConversationPartitionCheck(topics.chatEvents().name(), settings.metrics()),
                        Named.as(CONVERSATION_PARTITION_CHECK))
                .toTable(Named.as("user-directory-table"),
                        Materialized.<String, UserContact, KeyValueStore<Bytes, byte[]>>as(StoreNames.USER_DIRECTORY)
                                .withKeySerde(Serdes.String()).withValueSerde(contactSerde));

        // Notification producers use any client and so any partitioner (librdkafka's CRC32, Java's murmur2):
        // the processor checks the key and repartitions by it itself, so a notification always meets
        // the user's directory entry (repartitioned the same way) on one task.
        KStream<String, Notification> requested = builder.stream(topics.notifications().name(),
                        consumed(topics.notifications(), NOTIFICATIONS_SOURCE))
                .processValues(() -> new NotificationKeyCheck(new InputCheck(settings.inputs())), Named.as(NOTIFICATION_KEY_CHECK));
        if (settings.telemetryRules().enabled()) {
            // "mute for 1 hour": written in the turn's transaction, read by the trigger-rules step.
            conversationOutputs.flatMapValues(only(MuteCommand.class), Named.as("conversation-mutes"))
                    .to(topics.iotMutes().name(), produced(topics.iotMutes(), "conversation-mutes-sink"));
            // Alerts are notifications keyed by the device owner: they take the same repartition and delivery.
            requested = requested.merge(TelemetryTopology.add(builder, topics, settings.telemetryRules(), settings.audit(),
                    settings.metrics(), alertResponses), Named.as("notifications-and-alerts"));
        }
        KStream<String, Notification> notifications = requested
                .repartition(Repartitioned.with(Serdes.String(), topics.notifications().valueSerde())
                        .withName(StoreNames.NOTIFICATIONS_REPARTITION));
        KStream<String, SpecificRecord> notificationOutputs = notifications
                .leftJoin(directory, AddressedNotification::new,
                        Joined.with(Serdes.String(), topics.notifications().valueSerde(), contactSerde)
                                .withName("notification-directory-join"))
                .process(new NotificationProcessorSupplier(settings.audit(), settings.limits().maxReplyChars(),
                        settings.conversation().dedupeWindow(), settings.metrics(), settings.tracing()), Named.as(NOTIFICATION_DELIVERY));
        notificationOutputs.flatMapValues(only(ChatReply.class), Named.as("notification-replies"))
                .to(replyTopics, Produced.with(Serdes.String(), replySerde).withName("notification-replies-sink"));
        notificationOutputs.flatMapValues(only(AuditEvent.class), Named.as("notification-audit"))
                .to(topics.audit().name(), produced(topics.audit(), "notification-audit-sink"));
        if (settings.telemetryRules().enabled()) {
            alertsIntoSessions(notificationOutputs, replySerde, settings, sessionCaches);
        }

        return builder.build();
    }

    /**
     * A delivered alert goes back to its conversation's session: the delivery step's alert replies, keyed by
     * conversation id, through the {@code alert-deliveries} repartition topic (Streams' default partitioner for a
     * String key: murmur2 of the UTF-8 id, like a Java producer of {@code chat.events}) to a processor sharing the
     * {@code sessions} store, so it runs in the conversation sub-topology. The partition count is {@code chat.events}'s,
     * as described at start: left to Streams, it would follow the notifications' count, and a conversation's alert would
     * reach another task than its session. Under exactly_once_v2 the reply, its audit record and this record are
     * written in the delivery task's one transaction.
     */
    private static void alertsIntoSessions(KStream<String, SpecificRecord> notificationOutputs, Serde<ChatReply> replySerde,
                                           TopologySettings settings, SessionCaches sessionCaches) {
        Repartitioned<String, ChatReply> topic = Repartitioned.with(Serdes.String(), replySerde)
                .withName(StoreNames.ALERT_DELIVERIES_REPARTITION);
        if (settings.conversationPartitions() != null) {
            topic = topic.withNumberOfPartitions(settings.conversationPartitions());
        }
        notificationOutputs
                .flatMapValues(value -> value instanceof ChatReply reply && AlertContext.isAlert(reply.getData())
                        ? List.of(reply) : List.<ChatReply>of(), Named.as("alert-replies"))
                .repartition(topic)
                .process(() -> new AlertDeliveryProcessor(settings.metrics(), sessionCaches), Named.as(ALERT_TO_SESSION), StoreNames.SESSIONS);
    }

    /** An engine per flow version: the topology serves whichever versions {@code settings.flowVersions()} holds. */
    private static ConversationEngines conversationEngines(TopologySettings settings, GlobalTables tables) {
        return new ConversationEngines(settings.flowVersions(), flows -> new ConversationEngine(flows, settings.audit(), settings.metrics(),
                settings.conversation().timing(), settings.conversation().limits(), settings.limits().bounds(), tables));
    }

    /** Picks the records of one type out of a step's mixed output. */
    private static <T extends SpecificRecord> ValueMapper<SpecificRecord, Iterable<T>> only(Class<T> type) {
        return value -> type.isInstance(value) ? List.of(type.cast(value)) : List.of();
    }

    private static <T extends SpecificRecord> Serde<T> stateSerde(Class<T> type, TopologySettings settings) {
        return settings.topics().valueSerde(type);
    }

    private static <V> Consumed<String, V> consumed(Topic<String, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    private static <V> Produced<String, V> produced(Topic<String, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /** Whether these Kafka Streams properties run at-least-once (Kafka Streams' default when they name no guarantee). */
    public static boolean atLeastOnce(Map<String, Object> streamsProperties) {
        return StreamsConfig.AT_LEAST_ONCE.equals(
                String.valueOf(streamsProperties.getOrDefault(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)));
    }
}
