package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Bot Framework activities from Microsoft Teams, without HTTP types: the bearer token checked by
 * {@link TeamsAuth} (its {@code serviceurl} claim must equal the activity's {@code serviceUrl}, and its signing
 * key's endorsements must contain the activity's {@code channelId}), an activity
 * id seen before dropped, and a {@code message} activity with text turned into a chat event: conversation
 * {@code <name>:<conversation.id>}, user {@code from.aadObjectId} (or {@code from.id}) through the identity
 * table, locale {@code locale}, the {@code serviceUrl} in the payload (the reply goes there; the
 * {@link InboundLedger} remembers it). {@code <at>...</at>} mentions of the bot are removed from the text.
 * Other activities (conversationUpdate, typing, reactions) are acknowledged and ignored.
 */
public final class TeamsInbound {

    /** The chat event payload key holding the activity's serviceUrl. */
    public static final String SERVICE_URL = "serviceUrl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MENTION = Pattern.compile("<at>[^<]{0,200}</at>");

    private final TeamsSettings settings;
    private final TeamsAuth auth;
    private final SeenIds activities;
    private final Clock clock;

    public TeamsInbound(TeamsSettings settings, TeamsAuth auth, Clock clock) {
        this.settings = settings;
        this.auth = auth;
        this.clock = clock;
        this.activities = new SeenIds(settings.dedupWindow(), 100_000, clock);
    }

    public TeamsSettings settings() {
        return settings;
    }

    public Inbound.Decision receive(String authorization, byte[] body) {
        TeamsAuth.Verified verified;
        try {
            verified = auth.verify(authorization);
        } catch (TeamsAuth.Rejected e) {
            return new Inbound.Refused(401, e.getMessage());
        } catch (TeamsAuth.KeysUnavailable e) {
            return new Inbound.Refused(503, e.getMessage());
        }
        JsonNode activity;
        try {
            activity = JSON.readTree(body);
        } catch (IOException e) {
            return new Inbound.Refused(400, "the body is not JSON");
        }
        if (activity == null || !activity.isObject()) {
            return new Inbound.Refused(400, "an activity (a JSON object) expected");
        }
        if (!sameServiceUrl(verified.serviceUrl(), activity.path("serviceUrl").asText(""))) {
            return new Inbound.Refused(401, "the activity's serviceUrl is not the token's serviceurl claim");
        }
        // Microsoft's rule: the signing key must be endorsed for the channel the activity claims to come from.
        String channelId = activity.path("channelId").asText("");
        if (channelId.isEmpty() || !verified.endorsements().contains(channelId)) {
            return new Inbound.Refused(401, "the token's signing key is not endorsed for the activity's channelId");
        }
        String id = activity.path("id").asText("");
        String conversation = activity.path("conversation").path("id").asText("");
        JsonNode from = activity.path("from");
        String user = from.path("aadObjectId").isTextual() ? from.path("aadObjectId").asText() : from.path("id").asText("");
        if (!"message".equals(activity.path("type").asText()) || !activity.path("text").isTextual()) {
            return new Inbound.Ignored("not a message activity with text");
        }
        if (id.isEmpty() || id.length() > 200 || conversation.isEmpty() || conversation.length() > 500 || user.isEmpty()
                || user.length() > 200) {
            return new Inbound.Refused(400, "id, conversation.id and from.id: required");
        }
        String text = MENTION.matcher(activity.path("text").asText()).replaceAll("").strip();
        if (text.isEmpty()) {
            return new Inbound.Ignored("no text besides mentions");
        }
        if (text.codePointCount(0, text.length()) > settings.maxMessageChars()) {
            return new Inbound.Ignored("text longer than " + settings.maxMessageChars() + " characters");
        }
        String eventId = settings.name() + ":" + id;
        if (!activities.firstTime(eventId)) {
            return new Inbound.Duplicate(id);
        }
        String locale = activity.path("locale").asText("");
        return new Inbound.Accepted(ChatEvent.newBuilder()
                .setEventId(eventId)
                .setConversationId(settings.name() + ":" + conversation)
                .setUserId(settings.userId(user))
                .setChannel(settings.name())
                .setType(ChatEventType.MESSAGE)
                .setText(text)
                .setPayload(Map.of(SERVICE_URL, activity.path("serviceUrl").asText()))
                .setLocale(locale.matches("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}") ? locale : null)
                .setOccurredAt(timestamp(activity.path("timestamp").asText("")))
                .build());
    }

    /** Equal but for a trailing slash and the host's case (the Bot Framework is not consistent in either). */
    static boolean sameServiceUrl(String claim, String activity) {
        String a = claim.strip().replaceAll("/+$", "");
        String b = activity.strip().replaceAll("/+$", "");
        return !a.isEmpty() && a.equalsIgnoreCase(b);
    }

    private Instant timestamp(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }

    /** Forgets an activity whose event could not be produced, so the Bot Framework's retry is taken. */
    public void notProduced(ChatEvent event) {
        activities.forget(event.getEventId());
    }
}
