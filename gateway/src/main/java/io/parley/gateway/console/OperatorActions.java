package io.parley.gateway.console;

import io.parley.gateway.chat.ChatEventPublisher;
import io.parley.runtime.access.Caller;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator does from the console, each action audited as {@link AuditKind#OPERATOR_ACTION}
 * (who: the caller's token name or JWT subject; the user pseudonymised with {@link UserReferences}):
 * <ul>
 *   <li>{@link #erase}: an {@code ERASE} chat event for a user's conversation, which the processor
 *       handles as if the user had asked (session forgotten, {@code ERASED} audit, a reply);</li>
 *   <li>{@link #replay}: one record of a dead-letter topic, by partition and offset, produced with its
 *       original key, value and headers back to the topic it came from (header
 *       {@code __streams.errors.topic}), with {@code parley.replay.of} and {@code parley.replay.by}
 *       headers added. A coordinate is replayed once per gateway run; a second request is 409.</li>
 * </ul>
 * Refused attempts (a viewer asking) are audited too, with outcome {@code refused}.
 */
public final class OperatorActions implements AutoCloseable {

    /** Header of a replayed record: {@code <dead-letter topic>/<partition>/<offset>}. */
    public static final String REPLAY_OF = "parley.replay.of";
    /** Header of a replayed record: the operator who replayed it. */
    public static final String REPLAY_BY = "parley.replay.by";
    /** The dead-letter header naming the topic the record came from (KIP-1034, also the worker's). */
    public static final String ORIGIN_TOPIC = "__streams.errors.topic";
    private static final String ERRORS_PREFIX = "__streams.errors.";
    private static final String TRUNCATED = "parley.errors.truncated";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(OperatorActions.class);

    /** An action's answer to the console: an HTTP status and a JSON body. */
    public record Outcome(int status, String json) {
    }

    private final Topics topics;
    private final ChatEventPublisher chat;
    private final UserReferences users;
    private final Clock clock;
    private final KafkaProducer<String, AuditEvent> audit;
    private final KafkaProducer<byte[], byte[]> replays;
    private final Map<String, Object> consumerConfig;
    private final Set<String> deadLetterTopics;
    private final Set<String> replayTargets;
    private final Map<String, String> replayed = new ConcurrentHashMap<>();

    public OperatorActions(Topics topics, Map<String, Object> kafkaConfig, ChatEventPublisher chat, UserReferences users,
                           Clock clock) {
        this.topics = topics;
        this.chat = chat;
        this.users = users;
        this.clock = clock;
        TopicNames names = topics.names();
        this.deadLetterTopics = Set.of(names.deadLetters(), names.workerDeadLetters());
        this.replayTargets = Set.of(names.chatEvents(), names.backendRequests(), names.backendResponses(),
                names.notifications(), names.iotTelemetry());
        Map<String, Object> producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.audit = new KafkaProducer<>(producerConfig, topics.audit().keySerde().serializer(),
                topics.audit().valueSerde().serializer());
        this.replays = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> consumer = new HashMap<>(kafkaConfig);
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        this.consumerConfig = consumer;
    }

    /** Erases what Parley keeps of {@code userId} in {@code conversationId}, as the user's own ERASE would. */
    public Outcome erase(Caller who, String userId, String conversationId, String channel) {
        String eventId = "operator-erase-" + UUID.randomUUID();
        ChatEvent event = ChatEvent.newBuilder().setEventId(eventId).setConversationId(conversationId).setUserId(userId)
                .setChannel(channel).setType(ChatEventType.ERASE).setText(null).setPayload(Map.of())
                .setOccurredAt(clock.instant()).build();
        try {
            chat.publish(event).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(who, "erase", conversationId, userId, Map.of("channel", channel));
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("The erase request could not be written to the chat events ({})", e.getClass().getSimpleName());
            return failed(who, "erase", conversationId, userId, Map.of("channel", channel));
        }
        record(who, "erase", "accepted", conversationId, userId, Map.of("channel", channel, "eventId", eventId));
        return new Outcome(202, "{\"action\":\"erase\",\"eventId\":\"" + eventId + "\",\"status\":\"accepted\"}");
    }

    /** Produces the dead letter at {@code topic}/{@code partition}/{@code offset} back to the topic it came from. */
    public Outcome replay(Caller who, String topic, int partition, long offset) {
        String coordinate = topic + "/" + partition + "/" + offset;
        Map<String, String> where = Map.of("deadLetter", coordinate);
        if (!deadLetterTopics.contains(topic)) {
            return refusedInput(who, "replay", where, 400, "only the dead-letter topics " + deadLetterTopics.stream().sorted().toList()
                    + " can be replayed");
        }
        String earlier = replayed.putIfAbsent(coordinate, who.name());
        if (earlier != null) {
            record(who, "replay", "duplicate", null, null, where);
            return new Outcome(409, "{\"error\":\"this dead letter was already replayed by " + json(earlier)
                    + "; replaying it again would deliver it twice\",\"status\":409}");
        }
        ConsumerRecord<byte[], byte[]> record;
        try {
            record = read(topic, partition, offset);
        } catch (RuntimeException e) {
            replayed.remove(coordinate);
            LOG.warn("Reading dead letter {} failed ({})", coordinate, e.getClass().getSimpleName());
            return failed(who, "replay", null, null, where);
        }
        if (record == null) {
            replayed.remove(coordinate);
            return refusedInput(who, "replay", where, 404, "no record at " + coordinate);
        }
        Header origin = record.headers().lastHeader(ORIGIN_TOPIC);
        String target = origin == null ? null : new String(origin.value(), StandardCharsets.UTF_8);
        if (target == null || !replayTargets.contains(target)) {
            replayed.remove(coordinate);
            return refusedInput(who, "replay", where, 422, "the dead letter does not name an input topic it came from ("
                    + ORIGIN_TOPIC + ")");
        }
        if (record.headers().lastHeader(TRUNCATED) != null) {
            replayed.remove(coordinate);
            return refusedInput(who, "replay", where, 422, "the dead letter was truncated; its original bytes are lost");
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(ERRORS_PREFIX)) {
                headers.add(header);
            }
        }
        headers.add(REPLAY_OF, coordinate.getBytes(StandardCharsets.UTF_8));
        headers.add(REPLAY_BY, who.name().getBytes(StandardCharsets.UTF_8));
        try {
            var metadata = replays.send(new ProducerRecord<>(target, null, record.key(), record.value(), headers))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            String conversation = target.equals(topics.names().chatEvents()) && record.key() != null
                    ? new String(record.key(), StandardCharsets.UTF_8) : null;
            Map<String, String> details = new LinkedHashMap<>(where);
            details.put("target", target + "/" + metadata.partition() + "/" + metadata.offset());
            record(who, "replay", "replayed", conversation, null, details);
            return new Outcome(200, "{\"action\":\"replay\",\"status\":\"replayed\",\"target\":\"" + json(target) + "\",\"partition\":"
                    + metadata.partition() + ",\"offset\":" + metadata.offset() + "}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            replayed.remove(coordinate);
            return failed(who, "replay", null, null, where);
        } catch (ExecutionException | TimeoutException e) {
            replayed.remove(coordinate);
            LOG.warn("Replaying dead letter {} failed ({})", coordinate, e.getClass().getSimpleName());
            return failed(who, "replay", null, null, where);
        }
    }

    /** Audits an operator action asked by a caller whose role does not allow it. */
    public void refused(Caller who, String action) {
        record(who, action, "refused", null, null, Map.of("role", who.role().label()));
    }

    private ConsumerRecord<byte[], byte[]> read(String topic, int partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            Instant until = clock.instant().plus(WAIT);
            while (clock.instant().isBefore(until)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                    if (record.offset() > offset) {
                        return null;
                    }
                }
                Long end = consumer.endOffsets(List.of(tp)).get(tp);
                if (end != null && end <= offset) {
                    return null;
                }
            }
            return null;
        }
    }

    private Outcome refusedInput(Caller who, String action, Map<String, String> where, int status, String reason) {
        record(who, action, "invalid", null, null, where);
        return new Outcome(status, "{\"error\":\"" + json(reason) + "\",\"status\":" + status + "}");
    }

    private Outcome failed(Caller who, String action, String conversationId, String userId, Map<String, String> details) {
        record(who, action, "failed", conversationId, userId, details);
        return new Outcome(503, "{\"error\":\"Kafka did not take the " + action + " in time; try again\",\"status\":503}");
    }

    private void record(Caller who, String action, String outcome, String conversationId, String userId,
                        Map<String, String> details) {
        Map<String, String> attributes = new LinkedHashMap<>(details);
        attributes.put("actor", who.name());
        attributes.put("role", who.role().label());
        attributes.put("action", action);
        attributes.put("outcome", outcome);
        String userRef = userId == null ? "" : users.of(userId);
        AuditEvent event = AuditEvent.newBuilder()
                .setAuditId("operator-" + UUID.randomUUID())
                .setConversationId(conversationId)
                .setUserRef(userRef)
                .setKind(AuditKind.OPERATOR_ACTION)
                .setOccurredAt(clock.instant())
                .setChannel(null)
                .setEventId(null)
                .setRequestId(null)
                .setIntent(null)
                .setConnector(null)
                .setOperation(action)
                .setStatus(outcome)
                .setLatencyMs(null)
                .setText(null)
                .setAttributes(Map.copyOf(attributes))
                .build();
        String key = conversationId != null ? conversationId : (userRef.isEmpty() ? "operator:" + who.name() : userRef);
        audit.send(new ProducerRecord<>(topics.audit().name(), key, event), (metadata, failure) -> {
            if (failure != null) {
                LOG.warn("An operator action's audit record was not written ({})", failure.getClass().getSimpleName());
            }
        });
        audit.flush();
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public void close() {
        audit.close(Duration.ofSeconds(5));
        replays.close(Duration.ofSeconds(5));
    }
}
