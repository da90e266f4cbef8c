package io.parley.processor.topology;

import io.parley.processor.ops.ProcessorMetrics;
import io.parley.schemas.state.UserContact;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the way into the user directory (keyed by user, so one task sees all of a user's events
 * whatever partition they came from): counts every chat event that arrived on another partition
 * than its conversation's previous event, and logs one WARN per conversation naming the fix. The
 * record goes on unchanged.
 */
final class ConversationPartitionCheck implements FixedKeyProcessor<String, UserContact, UserContact> {

    /** Users (and reported conversations) remembered per task. */
    static final int REMEMBERED = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ConversationPartitionCheck.class);

    private final String chatEventsTopic;
    private final ProcessorMetrics metrics;
    private final PartitionWatch watch = new PartitionWatch(REMEMBERED);
    private FixedKeyProcessorContext<String, UserContact> context;

    ConversationPartitionCheck(String chatEventsTopic, ProcessorMetrics metrics) {
        this.chatEventsTopic = chatEventsTopic;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, UserContact> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, UserContact> record) {
        UserContact contact = record.value();
        if (contact == null) {
            watch.forget(record.key());
        } else if (contact.getPartition() != null) {
            watch.observe(record.key(), contact.getConversationId(), contact.getChannel(), contact.getPartition())
                    .ifPresent(this::report);
        }
        context.forward(record);
    }

    private void report(PartitionWatch.Move move) {
        metrics.conversationPartitionMove();
        if (move.firstForConversation()) {
            // No conversation or user id here: the channels and partitions are what an operator acts on.
            LOG.warn("Events of one conversation arrive on different partitions of {}: partition {} (channel '{}'), then"
                            + " partition {} (channel '{}'). Its producers partition keys differently, so each partition keeps"
                            + " a session of its own and the conversation is split. Give every producer of {} the same key bytes"
                            + " (plain UTF-8 conversation ids) and Java-compatible partitioning: librdkafka clients (Python, Go,"
                            + " .NET, node-rdkafka) partitioner=murmur2_random, KafkaJS 2 its default partitioner (not"
                            + " LegacyPartitioner); see 'Writing a channel' in docs/channels.md."
                            + " Further moves of this conversation are counted in parley_conversation_partition_moves_total,"
                            + " not logged.",
                    chatEventsTopic, move.from(), printable(move.fromChannel()), move.to(), printable(move.toChannel()),
                    chatEventsTopic);
        }
    }

    /** A channel name is the producer's text: control characters could forge log lines. */
    static String printable(String channel) {
        return channel.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
