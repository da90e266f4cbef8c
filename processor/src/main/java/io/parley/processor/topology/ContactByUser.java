package io.parley.processor.topology;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.state.UserContact;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Re-keys an accepted chat event by its user as the user directory's entry: where the user was
 * seen, including the partition of the chat events topic the event came from (which the directory
 * side compares per conversation). An erase becomes a tombstone, which removes the user.
 */
final class ContactByUser extends ContextualProcessor<String, ChatEvent, String, UserContact> {

    @Override
    public void process(Record<String, ChatEvent> record) {
        ChatEvent event = record.value();
        Integer partition = context().recordMetadata().map(RecordMetadata::partition).orElse(null);
        context().forward(record.withKey(event.getUserId()).withValue(contactOf(event, partition)));
    }

    static UserContact contactOf(ChatEvent event, Integer partition) {
        if (event.getType() == ChatEventType.ERASE) {
            return null;
        }
        return UserContact.newBuilder()
                .setUserId(event.getUserId())
                .setConversationId(event.getConversationId())
                .setChannel(event.getChannel())
                .setLocale(event.getLocale())
                .setLastSeenAt(event.getOccurredAt())
                .setPartition(partition)
                .build();
    }
}
