package io.parley.processor.topology;

import io.parley.processor.config.InputLimits;
import io.parley.schemas.ChatEvent;
import java.util.Map;
import java.util.Optional;

/** Which field of a chat event, if any, is beyond the configured {@link InputLimits}: named, never shown. */
final class InputCheck {

    /** The metric tag and dead-letter reason of an event with a field beyond its limit. */
    static final String FIELD_TOO_LARGE = "field-too-large";

    private final InputLimits limits;

    InputCheck(InputLimits limits) {
        this.limits = limits;
    }

    Optional<String> violation(ChatEvent event) {
        Optional<String> id = tooLong("eventId", event.getEventId(), limits.maxIdLength())
                .or(() -> tooLong("conversationId", event.getConversationId(), limits.maxIdLength()))
                .or(() -> tooLong("userId", event.getUserId(), limits.maxIdLength()))
                .or(() -> tooLong("channel", event.getChannel(), limits.maxIdLength()))
                .or(() -> tooLong("locale", event.getLocale(), limits.maxIdLength()))
                .or(() -> tooLong("text", event.getText(), limits.maxTextLength()));
        if (id.isPresent()) {
            return id;
        }
        Map<String, String> payload = event.getPayload();
        if (payload != null) {
            if (payload.size() > limits.maxPayloadEntries()) {
                return Optional.of("payload has " + payload.size() + " entries; at most " + limits.maxPayloadEntries() + " are accepted");
            }
            for (Map.Entry<String, String> entry : payload.entrySet()) {
                if (length(entry.getKey()) > limits.maxPayloadValueLength() || length(entry.getValue()) > limits.maxPayloadValueLength()) {
                    return Optional.of("a payload entry is longer than " + limits.maxPayloadValueLength() + " characters");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> tooLong(String field, String value, int max) {
        int length = length(value);
        return length > max
                ? Optional.of(field + " is " + length + " characters long; at most " + max + " are accepted (inputs: in processor.yaml)")
                : Optional.empty();
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }
}
