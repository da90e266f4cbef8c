package io.parley.e2e.chaos;

import io.parley.schemas.state.Session;
import io.parley.schemas.state.TurnSummary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The processor's {@code sessions} changelog as a history per conversation, to find the writes that
 * took a session back in time: a value that no longer knows a turn the previous value of the same
 * conversation knew (finished, or in progress). A store restored from such a changelog forgets that
 * turn; it is what a zombie instance's late write does under {@code at_least_once}.
 *
 * <p>The session values are read as the processor of this build writes them without encryption
 * (registry framing: a zero byte and a 4-byte schema id, then Avro binary).
 */
public final class SessionHistory {

    /** A write that forgot a turn: its changelog position and the turns the previous write knew. */
    public record Regression(String conversationId, int partition, long offset, long previousOffset, Set<String> forgotten) {
        @Override
        public String toString() {
            return conversationId + " at " + partition + "@" + offset + " (after " + partition + "@" + previousOffset
                    + ") forgot turn(s) " + forgotten;
        }
    }

    private SessionHistory() {
    }

    /** Reads the whole changelog of the {@code sessions} store of {@code applicationId} and returns its regressions. */
    public static List<Regression> regressions(String bootstrapServers, String applicationId) throws IOException {
        String topic = applicationId + "-sessions-changelog";
        SpecificDatumReader<Session> reader = new SpecificDatumReader<>(Session.class);
        Map<String, Known> latest = new HashMap<>();
        List<Regression> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            BinaryDecoder decoder = null;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        latest.remove(key);
                        continue;
                    }
                    ByteBuffer framed = ByteBuffer.wrap(record.value());
                    decoder = DecoderFactory.get().binaryDecoder(record.value(), 5, record.value().length - 5, decoder);
                    if (framed.get() != 0) {
                        continue;
                    }
                    Known now = Known.of(reader.read(null, decoder), record.offset());
                    Known before = latest.put(key, now);
                    if (before != null) {
                        Set<String> forgotten = new LinkedHashSet<>(before.newest());
                        forgotten.removeAll(now.all());
                        if (!forgotten.isEmpty()) {
                            found.add(new Regression(key, record.partition(), record.offset(), before.offset(), forgotten));
                        }
                    }
                }
            }
        }
        return found;
    }

    /**
     * The turns one session value knows (finished, in progress, kept for late answers), and those a
     * later value of the same session must still know: the last finished one, and the one in progress
     * when it waits for backend calls (such a turn ends summarised, or moves to the late turns when a
     * new message supersedes it; it never just disappears).
     */
    private record Known(Set<String> all, Set<String> newest, long offset) {
        static Known of(Session session, long offset) {
            Set<String> all = new LinkedHashSet<>();
            Set<String> newest = new LinkedHashSet<>();
            List<TurnSummary> recent = session.getRecentTurns();
            recent.forEach(turn -> all.add(turn.getEventId()));
            session.getLateTurns().forEach(turn -> all.add(turn.getEventId()));
            if (!recent.isEmpty()) {
                newest.add(recent.get(recent.size() - 1).getEventId());
            }
            if (session.getTurn() != null) {
                all.add(session.getTurn().getEventId());
                if (!session.getTurn().getPending().isEmpty()) {
                    newest.add(session.getTurn().getEventId());
                }
            }
            return new Known(all, newest, offset);
        }
    }
}
