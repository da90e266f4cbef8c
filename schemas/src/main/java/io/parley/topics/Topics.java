package io.parley.topics;

import io.parley.serde.ChannelKeys;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ConnectorCatalog;
import io.parley.schemas.FlowSet;
import io.parley.schemas.Device;
import io.parley.schemas.MuteCommand;
import io.parley.schemas.Notification;
import io.parley.schemas.TelemetryEvent;
import io.parley.serde.AvroSerde;
import io.parley.serde.AvroSerdeConfig;
import io.parley.serde.registry.SchemaRegistries;
import io.parley.serde.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The catalogue of Parley's topics: one immutable {@link Topic} per topic, named by
 * {@link TopicNames} and carrying its serdes. Keys are UTF-8 strings; values are Avro in the
 * Schema Registry wire format, except the dead-letter topics, which keep the original bytes.
 */
public final class Topics {

    private final TopicNames names;
    private final Topic<String, ChatEvent> chatEvents;
    private final Topic<String, BackendRequest> backendRequests;
    private final Topic<String, BackendResponse> backendResponses;
    private final Topic<String, Notification> notifications;
    private final Topic<String, AuditEvent> audit;
    private final Topic<byte[], byte[]> deadLetters;
    private final Topic<byte[], byte[]> workerDeadLetters;
    private final Topic<String, TelemetryEvent> iotTelemetry;
    private final Topic<String, Device> iotDevices;
    private final Topic<String, MuteCommand> iotMutes;
    private final Topic<String, ConnectorCatalog> connectorCatalog;
    private final Topic<String, FlowSet> flows;
    private final Serde<ChatReply> replySerde;
    private final SerdeFactory serdes;

    private Topics(TopicNames names, SerdeFactory serdes) {
        this.names = names;
        this.serdes = serdes;
        Serde<String> keys = Serdes.String();
        // What channels write may carry registry-framed Avro string keys; Parley's own topics carry plain ones.
        Serde<String> channelKeys = ChannelKeys.serde(serdes::registry);
        this.chatEvents = new Topic<>(names.chatEvents(), channelKeys, serdes.valueSerde(ChatEvent.class));
        this.backendRequests = new Topic<>(names.backendRequests(), keys, serdes.valueSerde(BackendRequest.class));
        this.backendResponses = new Topic<>(names.backendResponses(), keys, serdes.valueSerde(BackendResponse.class));
        this.notifications = new Topic<>(names.notifications(), channelKeys, serdes.valueSerde(Notification.class));
        this.audit = new Topic<>(names.audit(), keys, serdes.valueSerde(AuditEvent.class));
        this.deadLetters = new Topic<>(names.deadLetters(), Serdes.ByteArray(), Serdes.ByteArray());
        this.workerDeadLetters = new Topic<>(names.workerDeadLetters(), Serdes.ByteArray(), Serdes.ByteArray());
        this.iotTelemetry = new Topic<>(names.iotTelemetry(), keys, serdes.valueSerde(TelemetryEvent.class));
        this.iotDevices = new Topic<>(names.iotDevices(), keys, serdes.valueSerde(Device.class));
        this.iotMutes = new Topic<>(names.iotMutes(), keys, serdes.valueSerde(MuteCommand.class));
        this.connectorCatalog = new Topic<>(names.connectorCatalog(), keys, serdes.valueSerde(ConnectorCatalog.class));
        this.flows = new Topic<>(names.flows(), keys, serdes.valueSerde(FlowSet.class));
        this.replySerde = serdes.valueSerde(ChatReply.class);
    }

    /**
     * The catalogue with serdes configured from {@code serdeConfig} ({@code schema.registry.url}, ...), all on one
     * registry client: one cache of schema ids, so a restarted service asks the registry once per schema rather than
     * once per serde (each with an HTTP client and a selector thread of its own, as configured serdes had).
     */
    public static Topics create(TopicNames names, Map<String, ?> serdeConfig) {
        SchemaRegistryClient registry = SchemaRegistries.fromConfig(new AvroSerdeConfig(serdeConfig));
        return new Topics(names, new SerdeFactory() {
            @Override
            public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
                return AvroSerde.of(type, serdeConfig, registry, false);
            }

            @Override
            public SchemaRegistryClient registry() {
                return registry;
            }
        });
    }

    /** The catalogue with serdes on a given registry client. */
    public static Topics create(TopicNames names, SchemaRegistryClient registry) {
        return new Topics(names, new SerdeFactory() {
            @Override
            public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
                return AvroSerde.of(type, registry, false);
            }

            @Override
            public SchemaRegistryClient registry() {
                return registry;
            }
        });
    }

    public TopicNames names() {
        return names;
    }

    /**
     * A value serde for a record type outside the catalogue (a state store's, a repartition topic's), on the
     * catalogue's registry client.
     */
    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        return serdes.valueSerde(type);
    }

    /** The catalogue's registry client. */
    public SchemaRegistryClient registry() {
        return serdes.registry();
    }

    public Topic<String, ChatEvent> chatEvents() {
        return chatEvents;
    }

    public Topic<String, BackendRequest> backendRequests() {
        return backendRequests;
    }

    public Topic<String, BackendResponse> backendResponses() {
        return backendResponses;
    }

    public Topic<String, Notification> notifications() {
        return notifications;
    }

    public Topic<String, AuditEvent> audit() {
        return audit;
    }

    public Topic<byte[], byte[]> deadLetters() {
        return deadLetters;
    }

    public Topic<byte[], byte[]> workerDeadLetters() {
        return workerDeadLetters;
    }

    /** Device measurements, keyed by device id. */
    public Topic<String, TelemetryEvent> iotTelemetry() {
        return iotTelemetry;
    }

    /** Devices and their owners, keyed by device id (compacted; a tombstone removes a device). */
    /** What each connector offers, keyed by connector name; compacted, written by workers, read by the processor at start. */
    public Topic<String, ConnectorCatalog> connectorCatalog() {
        return connectorCatalog;
    }

    /** Published versions of flow sets, keyed by set name; compacted, written by {@code parley flows publish}. */
    public Topic<String, FlowSet> flows() {
        return flows;
    }

    public Topic<String, Device> iotDevices() {
        return iotDevices;
    }

    /** Users' commands to mute a device's alerts, keyed by device id. */
    public Topic<String, MuteCommand> iotMutes() {
        return iotMutes;
    }

    /** The reply topic used when a channel has no route of its own. */
    public Topic<String, ChatReply> defaultReplies() {
        return replies(names.defaultReplies());
    }

    /** A reply topic by name (replies are routed per channel by the processor's configuration). */
    public Topic<String, ChatReply> replies(String topicName) {
        TopicNames.requireValidName("replies", topicName);
        return new Topic<>(topicName, Serdes.String(), replySerde);
    }

    /** Creates the value serde of each Avro topic; gives the registry channel keys are checked with. */
    private interface SerdeFactory {
        <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type);

        SchemaRegistryClient registry();
    }
}
