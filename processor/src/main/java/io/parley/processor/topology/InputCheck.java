package io.parley.processor.topology;

import io.parley.processor.config.InputLimits;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.Notification;
import java.util.Map;
import java.util.Optional;

/**
 * Which field of a chat event or notification, if any, is beyond the configured {@link InputLimits}:
 * named, never shown.
 */
final class InputCheck {

    /** The metric tag and dead-letter reason of an input with a field beyond its limit. */
    static final String FIELD_TOO_LARGE = "field-too-large";

    private final InputLimits limits;

    InputCheck(InputLimits limits) {
        this.limits = limits;
    }

    /**
     * A field beyond its limit.
     *
     * @param detail what is wrong (which field, which limit), for the dead-letter header and the log
     * @param answerable whether the ids are within their limits, so the user can be told in the conversation
     */
    record Violation(String detail, boolean answerable) {
    }

    Optional<Violation> violation(ChatEvent event) {
        Optional<String> id = tooLong("eventId", event.getEventId(), limits.maxIdLength())
                .or(() -> tooLong("conversationId", event.getConversationId(), limits.maxIdLength()))
                .or(() -> tooLong("userId", event.getUserId(), limits.maxIdLength()))
                .or(() -> tooLong("channel", event.getChannel(), limits.maxIdLength()));
        if (id.isPresent()) {
            // Every record of a turn carries these; none can be written, not even a reply.
            return id.map(detail -> new Violation(detail, false));
        }
        return tooLong("locale", event.getLocale(), limits.maxIdLength())
                .or(() -> tooLong("text", event.getText(), limits.maxTextLength()))
                .or(() -> payload(event.getPayload()))
                .map(detail -> new Violation(detail, true));
    }

    /** A notification's ids, text, template and data are bounded like a chat event's. */
    Optional<String> violation(Notification notification) {
        return tooLong("notificationId", notification.getNotificationId(), limits.maxIdLength())
                .or(() -> tooLong("userId", notification.getUserId(), limits.maxIdLength()))
                .or(() -> tooLong("channel", notification.getChannel(), limits.maxIdLength()))
                .or(() -> tooLong("text", notification.getText(), limits.maxTextLength()))
                .or(() -> tooLong("template", notification.getTemplate(), limits.maxTextLength()))
                .or(() -> payload(notification.getData()));
    }

    private Optional<String> payload(Map<String, String> payload) {
        if (payload == null) {
            return Optional.empty();
        }
        if (payload.size() > limits.maxPayloadEntries()) {
            return Optional.of("payload has " + payload.size() + " entries; at most " + limits.maxPayloadEntries() + " are accepted");
        }
        for (Map.Entry<String, String> entry : payload.entrySet()) {
            if (length(entry.getKey()) > limits.maxPayloadValueLength() || length(entry.getValue()) > limits.maxPayloadValueLength()) {
                return Optional.of("a payload entry is longer than " + limits.maxPayloadValueLength() + " characters");
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
