package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.runtime.Secret;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The WhatsApp Cloud API webhook, without HTTP types.
 *
 * <ul>
 *   <li>The GET handshake: {@code hub.mode=subscribe} with the configured {@code hub.verify_token} is answered
 *   with {@code hub.challenge}; anything else is refused.</li>
 *   <li>A POST notification must carry {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw
 *   body under the app secret (compared in constant time). Its messages to the configured phone number
 *   become chat events: text as is, a pressed reply button or list row as its id (the quick reply's full
 *   text); conversation {@code <name>:<wa_id>}, user {@code wa_id} through the identity table. A message id
 *   seen before is dropped (Meta redelivers until answered 200); a message older than 24 hours
 *   is ignored as stale (a replayed old notification whose id is forgotten; within 24 hours the processor's
 *   event-id store drops a replay). Statuses (sent, delivered,
 *   read) and other message types are ignored with a 200.</li>
 * </ul>
 */
public final class WhatsAppInbound {

    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WhatsAppSettings settings;
    private final SeenIds messages;
    private final Clock clock;

    public WhatsAppInbound(WhatsAppSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.messages = new SeenIds(settings.dedupWindow(), 100_000, clock);
    }

    public WhatsAppSettings settings() {
        return settings;
    }

    /** The {@code X-Hub-Signature-256} value of a body. */
    public static String sign(Secret appSecret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The verification handshake: the challenge to echo, or null when refused. */
    public String verify(String mode, String verifyToken, String challenge) {
        if (!"subscribe".equals(mode) || challenge == null || challenge.isEmpty() || challenge.length() > 200
                || !settings.verifyToken().matches(verifyToken)) {
            return null;
        }
        return challenge;
    }

    public Inbound.Decision receive(String signature, byte[] body) {
        if (signature == null || !signature.startsWith("sha256=")) {
            return new Inbound.Refused(401, SIGNATURE_HEADER + " (sha256=...) is required");
        }
        if (!MessageDigest.isEqual(sign(settings.appSecret(), body).getBytes(StandardCharsets.US_ASCII),
                signature.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return new Inbound.Refused(401, "signature does not match");
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return new Inbound.Refused(400, "the body is not JSON");
        }
        if (json == null || !"whatsapp_business_account".equals(json.path("object").asText())) {
            return new Inbound.Ignored("not a WhatsApp Business Account notification");
        }
        List<ChatEvent> events = new ArrayList<>();
        int duplicates = 0;
        int stale = 0;
        for (JsonNode entry : json.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                if (!"messages".equals(change.path("field").asText())
                        || !settings.phoneNumberId().equals(value.path("metadata").path("phone_number_id").asText())) {
                    continue;
                }
                for (JsonNode message : value.path("messages")) {
                    String text = text(message);
                    String from = message.path("from").asText("");
                    String id = message.path("id").asText("");
                    if (text == null || text.isBlank() || !from.matches("[0-9]{5,20}") || id.isEmpty() || id.length() > 200
                            || text.codePointCount(0, text.length()) > settings.maxMessageChars()) {
                        continue;
                    }
                    Instant sent = message.path("timestamp").asText("").matches("[0-9]{1,12}")
                            ? Instant.ofEpochSecond(Long.parseLong(message.path("timestamp").asText())) : clock.instant();
                    if (sent.isBefore(clock.instant().minus(WhatsAppSettings.STALE_AFTER))) {
                        stale++;
                        continue;
                    }
                    String eventId = settings.name() + ":" + id;
                    if (!messages.firstTime(eventId)) {
                        duplicates++;
                        continue;
                    }
                    events.add(ChatEvent.newBuilder()
                            .setEventId(eventId)
                            .setConversationId(settings.name() + ":" + from)
                            .setUserId(settings.userId(from))
                            .setChannel(settings.name())
                            .setType(ChatEventType.MESSAGE)
                            .setText(text)
                            .setPayload(Map.of())
                            .setLocale(null)
                            .setOccurredAt(sent)
                            .build());
                }
            }
        }
        if (!events.isEmpty()) {
            return new Inbound.AcceptedAll(events);
        }
        if (stale > 0 && duplicates == 0) {
            // Answered 200 (Meta would redeliver a refusal for days) and counted as ignored.
            return new Inbound.Ignored("stale notification: its messages are older than "
                    + WhatsAppSettings.STALE_AFTER.toHours() + " hours");
        }
        if (duplicates > 0) {
            return new Inbound.Duplicate(null);
        }
        return new Inbound.Ignored("no text message for this phone number");
    }

    private static String text(JsonNode message) {
        switch (message.path("type").asText("")) {
            case "text":
                return message.path("text").path("body").isTextual() ? message.path("text").path("body").asText() : null;
            case "interactive":
                JsonNode interactive = message.path("interactive");
                JsonNode reply = interactive.has("button_reply") ? interactive.path("button_reply")
                        : interactive.path("list_reply");
                return reply.path("id").isTextual() ? reply.path("id").asText() : null;
            case "button":
                // A quick-reply button of a template message.
                return message.path("button").path("payload").isTextual() ? message.path("button").path("payload").asText()
                        : message.path("button").path("text").asText(null);
            default:
                return null;
        }
    }

    /** Forgets a message whose chat event could not be produced, so Meta's redelivery is taken. */
    public void notProduced(ChatEvent event) {
        messages.forget(event.getEventId());
    }
}
