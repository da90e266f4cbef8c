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
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's Events API requests, without HTTP types: the v0 signature ({@code X-Slack-Signature} =
 * {@code v0=} hex HMAC-SHA256 of {@code v0:<X-Slack-Request-Timestamp>:<body>} under the signing
 * secret) within 5 minutes, the {@code url_verification} handshake, {@code event_id} dedup (Slack
 * retries, with {@code X-Slack-Retry-Num}, when it got no 2xx within 3 s), and a user's message
 * (no subtype, not from a bot) into a {@link ChatEvent}: conversation {@code <name>:<channel id>},
 * user through the identity mapping.
 */
public final class SlackInbound {

    public static final String SIGNATURE_HEADER = "X-Slack-Signature";
    public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlackSettings settings;
    private final SeenIds events;
    private final Clock clock;

    public SlackInbound(SlackSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.events = new SeenIds(settings.dedupWindow(), 100_000, clock);
    }

    public SlackSettings settings() {
        return settings;
    }

    /** The {@code X-Slack-Signature} of {@code body} sent at {@code timestamp}. */
    public static String sign(Secret secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The signature check of every Slack request: null when signed by Slack within the window, else the refusal. */
    Inbound.Refused authenticate(String timestamp, String signature, byte[] body) {
        if (timestamp == null || signature == null) {
            return new Inbound.Refused(401, TIMESTAMP_HEADER + " and " + SIGNATURE_HEADER + " are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return new Inbound.Refused(401, TIMESTAMP_HEADER + " must be Unix seconds");
        }
        if (Math.abs(clock.instant().getEpochSecond() - seconds) > SlackSettings.WINDOW.toSeconds()) {
            return new Inbound.Refused(401, "stale request: " + TIMESTAMP_HEADER + " is more than 5 minutes away");
        }
        if (!MessageDigest.isEqual(sign(settings.signingSecret(), timestamp.trim(), body).getBytes(StandardCharsets.US_ASCII),
                signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            return new Inbound.Refused(401, "signature does not match");
        }
        return null;
    }

    public Inbound.Decision receive(String timestamp, String signature, byte[] body) {
        Inbound.Refused refused = authenticate(timestamp, signature, body);
        if (refused != null) {
            return refused;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return new Inbound.Refused(400, "the body is not JSON");
        }
        if (json == null || !json.isObject()) {
            return new Inbound.Refused(400, "a JSON object expected");
        }
        String type = json.path("type").asText("");
        if (type.equals("url_verification")) {
            return new Inbound.Challenge(json.path("challenge").asText(""));
        }
        if (!type.equals("event_callback") || !json.path("event_id").isTextual()) {
            return new Inbound.Ignored("not an event callback");
        }
        JsonNode event = json.path("event");
        String text = event.path("text").isTextual() ? event.path("text").asText() : null;
        boolean fromUser = event.path("type").asText("").equals("message") && !event.has("subtype")
                && !event.has("bot_id") && event.path("user").isTextual() && event.path("channel").isTextual();
        if (!fromUser || text == null || text.isBlank()) {
            return new Inbound.Ignored("not a user's text message");
        }
        if (text.codePointCount(0, text.length()) > settings.maxMessageChars()) {
            return new Inbound.Ignored("text longer than " + settings.maxMessageChars() + " characters");
        }
        String eventId = settings.name() + ":" + json.path("event_id").asText();
        if (!events.firstTime(eventId)) {
            return new Inbound.Duplicate(json.path("event_id").asText());
        }
        long at = json.path("event_time").canConvertToLong() ? json.path("event_time").asLong() * 1000 : clock.millis();
        return new Inbound.Accepted(ChatEvent.newBuilder()
                .setEventId(eventId)
                .setConversationId(settings.name() + ":" + event.path("channel").asText())
                .setUserId(settings.userId(event.path("user").asText()))
                .setChannel(settings.name())
                .setType(ChatEventType.MESSAGE)
                .setText(text)
                .setPayload(Map.of())
                .setLocale(null)
                .setOccurredAt(Instant.ofEpochMilli(at))
                .build());
    }

    /**
     * An interactivity request (a Block Kit button pressed): form-encoded {@code payload=<JSON>}, signed like an
     * event. A {@code block_actions} payload whose action is one of the quick-reply buttons
     * ({@link SlackSender#buttons}) becomes a chat event with the button's value (the full quick reply) as its
     * text, in the channel's conversation, deduplicated by the interaction's {@code trigger_id}.
     */
    public Inbound.Decision receiveAction(String timestamp, String signature, byte[] body) {
        Inbound.Refused refused = authenticate(timestamp, signature, body);
        if (refused != null) {
            return refused;
        }
        String payload = null;
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith("payload=")) {
                try {
                    payload = java.net.URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return new Inbound.Refused(400, "payload: not form-encoded");
                }
            }
        }
        if (payload == null) {
            return new Inbound.Refused(400, "payload: required (application/x-www-form-urlencoded)");
        }
        JsonNode json;
        try {
            json = JSON.readTree(payload);
        } catch (IOException e) {
            return new Inbound.Refused(400, "payload: not JSON");
        }
        if (json == null || !"block_actions".equals(json.path("type").asText())) {
            return new Inbound.Ignored("not a block_actions payload");
        }
        JsonNode action = null;
        for (JsonNode a : json.path("actions")) {
            if ("button".equals(a.path("type").asText()) && a.path("action_id").asText().startsWith("parley_quick_reply_")
                    && a.path("value").isTextual()) {
                action = a;
                break;
            }
        }
        String user = json.path("user").path("id").asText("");
        String channel = json.path("channel").path("id").asText("");
        String trigger = json.path("trigger_id").asText("");
        if (action == null || user.isEmpty() || channel.isEmpty() || trigger.isEmpty() || trigger.length() > 200) {
            return new Inbound.Ignored("not a quick-reply button of a channel message");
        }
        String text = action.path("value").asText();
        if (text.isBlank() || text.codePointCount(0, text.length()) > settings.maxMessageChars()) {
            return new Inbound.Ignored("button value empty or too long");
        }
        String eventId = settings.name() + ":action:" + trigger;
        if (!events.firstTime(eventId)) {
            return new Inbound.Duplicate(trigger);
        }
        String ts = action.path("action_ts").asText("");
        long at = ts.matches("[0-9]{1,12}(\\.[0-9]{1,9})?") ? (long) (Double.parseDouble(ts) * 1000) : clock.millis();
        return new Inbound.Accepted(ChatEvent.newBuilder()
                .setEventId(eventId)
                .setConversationId(settings.name() + ":" + channel)
                .setUserId(settings.userId(user))
                .setChannel(settings.name())
                .setType(ChatEventType.MESSAGE)
                .setText(text)
                .setPayload(Map.of("slackActionId", action.path("action_id").asText()))
                .setLocale(null)
                .setOccurredAt(Instant.ofEpochMilli(at))
                .build());
    }

    /** Forgets an event whose chat event could not be produced, so Slack's retry is taken. */
    public void notProduced(ChatEvent event) {
        events.forget(event.getEventId());
    }
}
