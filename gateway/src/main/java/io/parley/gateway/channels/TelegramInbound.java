package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Telegram's webhook updates, without HTTP types: checks the {@code X-Telegram-Bot-Api-Secret-Token}
 * header, drops an {@code update_id} seen before (Telegram redelivers until it gets a 2xx), and turns
 * a text message into a {@link ChatEvent}: conversation {@code <name>:<chat.id>}, user
 * {@code message.from.id} through the identity mapping, locale {@code from.language_code}. Updates
 * of other kinds (photos, edits, joins) are ignored with a 200, so Telegram does not redeliver them.
 */
public final class TelegramInbound {

    public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TelegramSettings settings;
    private final SeenIds updates;
    private final Clock clock;

    public TelegramInbound(TelegramSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.updates = new SeenIds(settings.dedupWindow(), 100_000, clock);
    }

    public TelegramSettings settings() {
        return settings;
    }

    public Inbound.Decision receive(String secretHeader, byte[] body) {
        if (!settings.secretToken().matches(secretHeader)) {
            return new Inbound.Refused(401, SECRET_HEADER + " missing or wrong");
        }
        JsonNode update;
        try {
            update = JSON.readTree(body);
        } catch (IOException e) {
            return new Inbound.Refused(400, "the body is not JSON");
        }
        if (update == null || !update.path("update_id").canConvertToLong()) {
            return new Inbound.Refused(400, "update_id: required");
        }
        String updateId = settings.name() + ":" + update.path("update_id").asLong();
        JsonNode message = update.path("message");
        String text = message.path("text").isTextual() ? message.path("text").asText() : null;
        if (!message.path("chat").path("id").canConvertToLong() || !message.path("from").path("id").canConvertToLong()
                || text == null || text.isBlank()) {
            return new Inbound.Ignored("not a text message");
        }
        if (text.codePointCount(0, text.length()) > settings.maxMessageChars()) {
            return new Inbound.Ignored("text longer than " + settings.maxMessageChars() + " characters");
        }
        if (!updates.firstTime(updateId)) {
            return new Inbound.Duplicate(Long.toString(update.path("update_id").asLong()));
        }
        String language = message.path("from").path("language_code").isTextual()
                ? message.path("from").path("language_code").asText() : null;
        long sentAt = message.path("date").canConvertToLong() ? message.path("date").asLong() * 1000 : clock.millis();
        ChatEvent event = ChatEvent.newBuilder()
                .setEventId(updateId)
                .setConversationId(settings.name() + ":" + message.path("chat").path("id").asLong())
                .setUserId(settings.userId(Long.toString(message.path("from").path("id").asLong())))
                .setChannel(settings.name())
                .setType(ChatEventType.MESSAGE)
                .setText(text)
                .setPayload(Map.of())
                .setLocale(language)
                .setOccurredAt(Instant.ofEpochMilli(sentAt))
                .build();
        return new Inbound.Accepted(event);
    }

    /** Forgets an update whose event could not be produced, so Telegram's redelivery is taken. */
    public void notProduced(ChatEvent event) {
        updates.forget(event.getEventId());
    }
}
