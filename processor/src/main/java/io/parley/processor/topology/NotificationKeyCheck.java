package io.parley.processor.topology;

import io.parley.processor.ops.RefusedRecordException;
import io.parley.schemas.Notification;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Lets through only notifications keyed by the user they are for: a notification keyed by
 * anything else is refused to the dead-letter topic with the reason, never silently dropped or
 * delivered to a user its key does not name.
 */
final class NotificationKeyCheck implements FixedKeyProcessor<String, Notification, Notification> {

    static final String KEY_NOT_USER_ID = "key-not-user-id";

    private FixedKeyProcessorContext<String, Notification> context;

    @Override
    public void init(FixedKeyProcessorContext<String, Notification> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Notification> record) {
        if (record.value() == null) {
            // A tombstone carries nothing to deliver; the delivery step counts it.
            context.forward(record);
            return;
        }
        if (record.key() == null || !record.key().equals(record.value().getUserId())) {
            throw new RefusedRecordException(KEY_NOT_USER_ID,
                    "the key is not the notification's user id (a plain UTF-8 or registry-framed Avro string key is expected)");
        }
        context.forward(record);
    }
}
