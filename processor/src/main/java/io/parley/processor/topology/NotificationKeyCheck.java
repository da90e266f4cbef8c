package io.parley.processor.topology;

import io.parley.processor.ops.RefusedRecordException;
import io.parley.schemas.Notification;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Lets through only notifications keyed by the user they are for: a notification keyed by
 * anything else is refused to the dead-letter topic with the reason, never silently dropped or
 * delivered to a user its key does not name. So is one with a field beyond the {@code inputs:}
 * limits, before it is written to the repartition topic.
 */
final class NotificationKeyCheck implements FixedKeyProcessor<String, Notification, Notification> {

    static final String KEY_NOT_USER_ID = "key-not-user-id";

    private final InputCheck inputs;
    private FixedKeyProcessorContext<String, Notification> context;

    NotificationKeyCheck(InputCheck inputs) {
        this.inputs = inputs;
    }

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
        Optional<String> oversized = inputs.violation(record.value());
        if (oversized.isPresent()) {
            throw new RefusedRecordException(InputCheck.FIELD_TOO_LARGE, oversized.get());
        }
        context.forward(record);
    }
}
