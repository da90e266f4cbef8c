package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The inbound side of one generic channel, without HTTP types: authenticates a request (signature
 * with timestamp window and replay check, or bearer token), reads a message body and turns it into
 * a {@link ChatEvent}, dropping an event id seen before.
 *
 * <p>The conversation id in Kafka is {@code <channel>:<conversationId>}: a caller names its
 * conversations freely and still cannot touch another channel's. The {@code userId} is the one the
 * caller states: the caller is a trusted backend that authenticated its user itself.
 */
public final class Inbound {

    /** What became of a request. */
    public sealed interface Decision {
    }

    /** A message to produce. */
    public record Accepted(ChatEvent event) implements Decision {
    }

    /** Several messages to produce (a WhatsApp notification may carry more than one). */
    public record AcceptedAll(java.util.List<ChatEvent> events) implements Decision {
        public AcceptedAll {
            events = java.util.List.copyOf(events);
        }
    }

    /** An event id seen before: answered as accepted, produced no second time. */
    public record Duplicate(String eventId) implements Decision {
    }

    /** Nothing to produce, but nothing wrong either (a platform update of a kind Parley does not take): answered 200. */
    public record Ignored(String why) implements Decision {
    }

    /** A platform's handshake (Slack's url_verification): answered 200 with the challenge, nothing produced. */
    public record Challenge(String challenge) implements Decision {
    }

    /** Refused: the HTTP status and a reason safe to show the caller (it names fields, never values). */
    public record Refused(int status, String reason) implements Decision {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("conversationId", "userId", "text", "eventId", "locale");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+=-]{1,200}");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}");

    private final ChannelSettings settings;
    private final SeenIds eventIds;
    private final SeenIds signatures;
    private final Clock clock;

    public Inbound(ChannelSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.eventIds = new SeenIds(settings.dedupWindow(), 100_000, clock);
        // A signature is good for the window either side of now: remember it that long.
        this.signatures = new SeenIds(settings.timestampWindow().multipliedBy(2), 100_000, clock);
    }

    public ChannelSettings settings() {
        return settings;
    }

    /** The Kafka conversation id of a caller's conversation id. */
    public String conversationKey(String conversationId) {
        return settings.name() + ":" + conversationId;
    }

    /**
     * Checks a request's credentials.
     *
     * @param content what the signature covers: the body, or for a GET the path and query
     * @return null when authenticated, else the refusal
     */
    public Refused authenticate(String timestamp, String signature, String authorization, byte[] content) {
        if (settings.bearerToken() != null) {
            String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authorization.substring(7).trim() : null;
            return settings.bearerToken().matches(token) ? null : new Refused(401, "a valid bearer token is required");
        }
        if (timestamp == null || signature == null) {
            return new Refused(401, "the " + Signatures.TIMESTAMP_HEADER + " and " + Signatures.SIGNATURE_HEADER
                    + " headers are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return new Refused(401, Signatures.TIMESTAMP_HEADER + " must be Unix seconds");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
        if (skew > settings.timestampWindow().toSeconds()) {
            return new Refused(401, "stale request: " + Signatures.TIMESTAMP_HEADER + " is more than "
                    + settings.timestampWindow().toSeconds() + " s from the gateway's clock");
        }
        if (!Signatures.matches(settings.hmacSecret(), timestamp, content, signature)) {
            return new Refused(401, "signature does not match");
        }
        if (!signatures.firstTime(signature)) {
            return new Refused(401, "replayed request: this signature was already used; sign each request afresh");
        }
        return null;
    }

    /** Authenticates and reads a {@code POST /channels/<name>/messages} body. */
    public Decision receive(String timestamp, String signature, String authorization, byte[] body) {
        Refused refused = authenticate(timestamp, signature, authorization, body);
        if (refused != null) {
            return refused;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return new Refused(400, "the body is not JSON");
        }
        if (json == null || !json.isObject()) {
            return new Refused(400, "a JSON object expected: {\"conversationId\":..., \"text\":...}");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                return new Refused(400, field + ": unknown field; known fields are " + new java.util.TreeSet<>(FIELDS));
            }
        }
        String conversationId = text(json, "conversationId");
        if (conversationId == null || !ID.matcher(conversationId).matches()) {
            return new Refused(400, "conversationId: required, 1 to 200 of A-Z a-z 0-9 . _ : @ + = -");
        }
        String userId = text(json, "userId");
        if (json.has("userId") && (userId == null || !ID.matcher(userId).matches())) {
            return new Refused(400, "userId: 1 to 200 of A-Z a-z 0-9 . _ : @ + = -");
        }
        String eventId = text(json, "eventId");
        if (json.has("eventId") && (eventId == null || !ID.matcher(eventId).matches())) {
            return new Refused(400, "eventId: 1 to 200 of A-Z a-z 0-9 . _ : @ + = -");
        }
        String locale = text(json, "locale");
        if (json.has("locale") && (locale == null || !LOCALE.matcher(locale).matches())) {
            return new Refused(400, "locale: a BCP 47 tag expected (en-GB)");
        }
        String messageText = text(json, "text");
        if (messageText == null || messageText.isBlank()) {
            return new Refused(400, "text: required, not empty");
        }
        if (messageText.codePointCount(0, messageText.length()) > settings.maxMessageChars()) {
            return new Refused(413, "text: longer than " + settings.maxMessageChars() + " characters");
        }
        // The caller's event id, scoped by channel; without one, each request is a new event.
        String fullEventId = settings.name() + ":" + (eventId != null ? eventId : UUID.randomUUID().toString());
        if (!eventIds.firstTime(fullEventId)) {
            return new Duplicate(eventId);
        }
        ChatEvent event = ChatEvent.newBuilder()
                .setEventId(fullEventId)
                .setConversationId(conversationKey(conversationId))
                .setUserId(userId != null ? userId : conversationKey(conversationId))
                .setChannel(settings.name())
                .setType(ChatEventType.MESSAGE)
                .setText(messageText)
                .setPayload(Map.of())
                .setLocale(locale)
                .setOccurredAt(Instant.ofEpochMilli(clock.millis()))
                .build();
        return new Accepted(event);
    }

    /** Forgets an event id whose event could not be produced, so the caller's retry is not dropped. */
    public void notProduced(ChatEvent event) {
        eventIds.forget(event.getEventId());
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || !node.isTextual() ? null : node.asText();
    }
}
