package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends replies to Microsoft Teams through the Bot Connector: {@code POST <serviceUrl>/v3/conversations/<id>/activities}
 * with a bearer token of the bot's own, from the client-credentials token endpoint (cached until a minute before
 * it expires; a 401 from the connector drops it and the retry fetches a new one). The serviceUrl is the one of the
 * conversation's last activity, from the {@link InboundLedger}; a conversation whose serviceUrl is not known (no
 * message for {@link TeamsSettings#REMEMBER}) is not delivered. Text in parts of at most
 * {@link TeamsSettings#MAX_TEXT} characters; quick replies as {@code suggestedActions} ({@code imBack} buttons) on
 * the last part; an INTERIM reply is a {@code typing} activity. Through {@link RetryingPost}.
 */
public final class TeamsSender {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TeamsSettings settings;
    private final InboundLedger ledger;
    private final HttpClient http;
    private final Clock clock;
    private final RetryingPost post;
    private String token;
    private Instant tokenExpires = Instant.MIN;

    public TeamsSender(TeamsSettings settings, InboundLedger ledger, HttpClient http, Clock clock,
                       RetryingPost.Sleeper sleeper) {
        this.settings = settings;
        this.ledger = ledger;
        this.http = http;
        this.clock = clock;
        this.post = new RetryingPost(http, clock, sleeper, settings.maxAttempts(), settings.firstBackoff(),
                settings.maxBackoff());
    }

    public RetryingPost.Outcome deliver(ChatReply reply) throws InterruptedException {
        String prefix = settings.name() + ":";
        if (!reply.getConversationId().startsWith(prefix)) {
            return new RetryingPost.Outcome(false, 0, "not a Teams conversation");
        }
        String conversation = reply.getConversationId().substring(prefix.length());
        InboundLedger.Entry last = ledger.lookup(reply.getConversationId(), reply.getInReplyTo(),
                entry -> entry.payload().containsKey(TeamsInbound.SERVICE_URL), WhatsAppSender.LEDGER_WAIT);
        String serviceUrl = last == null ? null : last.payload().get(TeamsInbound.SERVICE_URL);
        if (serviceUrl == null) {
            return new RetryingPost.Outcome(false, 0, "the conversation's serviceUrl is unknown (no message from it"
                    + " in the last " + TeamsSettings.REMEMBER.toDays() + " days)");
        }
        URI url = URI.create(serviceUrl.replaceAll("/+$", "") + "/v3/conversations/"
                + URLEncoder.encode(conversation, StandardCharsets.UTF_8).replace("+", "%20") + "/activities");
        RetryingPost.Outcome outcome = null;
        for (ObjectNode activity : activities(reply)) {
            outcome = send(url, activity);
            if (!outcome.delivered()) {
                return outcome;
            }
        }
        return outcome;
    }

    static List<ObjectNode> activities(ChatReply reply) {
        List<ObjectNode> out = new ArrayList<>();
        if (reply.getKind() == ReplyKind.INTERIM) {
            out.add(JSON.createObjectNode().put("type", "typing"));
            return out;
        }
        List<String> parts = TelegramSender.split(reply.getText(), TeamsSettings.MAX_TEXT);
        for (int i = 0; i < parts.size(); i++) {
            ObjectNode activity = JSON.createObjectNode().put("type", "message").put("textFormat", "plain")
                    .put("text", parts.get(i));
            if (i == parts.size() - 1 && !reply.getQuickReplies().isEmpty()) {
                ArrayNode actions = activity.putObject("suggestedActions").putArray("actions");
                reply.getQuickReplies().forEach(q -> actions.addObject().put("type", "imBack").put("title", q).put("value", q));
            }
            out.add(activity);
        }
        return out;
    }

    private RetryingPost.Outcome send(URI url, ObjectNode activity) throws InterruptedException {
        String what = activity.path("type").asText();
        // A token endpoint that fails fails the attempt like a connection would (TokenUnavailable): retried.
        return post.send(what, () -> HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token())
                .POST(HttpRequest.BodyPublishers.ofString(activity.toString())).build(), response -> {
            int status = response.statusCode();
            String last = what + " HTTP " + status;
            if (status >= 200 && status < 300) {
                return RetryingPost.Verdict.delivered(last);
            }
            if (status == 401 || status == 403) {
                // Our token may have been revoked or expired early: fetch a new one and try again.
                dropToken();
                return RetryingPost.Verdict.retry(last, null);
            }
            if (RetryingPost.retriable(status)) {
                return RetryingPost.Verdict.retry(last, post.retryAfter(response).orElse(null));
            }
            return RetryingPost.Verdict.permanent(last);
        });
    }

    private synchronized void dropToken() {
        token = null;
        tokenExpires = Instant.MIN;
    }

    /** The bot's access token, fetched when there is none or it expires within a minute. */
    synchronized String token() throws IOException, InterruptedException {
        if (token != null && clock.instant().isBefore(tokenExpires.minusSeconds(60))) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + enc(settings.appId()) + "&client_secret="
                + enc(settings.appPassword().reveal()) + "&scope=" + enc(settings.tokenScope());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(settings.tokenUrl()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = RetryingPost.json(response.body());
        if (response.statusCode() != 200 || !answer.path("access_token").isTextual()) {
            // The error code only: the body may echo the client id.
            throw new TokenUnavailable("token endpoint answered HTTP " + response.statusCode() + " "
                    + answer.path("error").asText("").replaceAll("[^a-z_]", ""));
        }
        token = answer.path("access_token").asText();
        tokenExpires = clock.instant().plusSeconds(answer.path("expires_in").asLong(3600));
        return token;
    }

    /** The token endpoint refused or failed; the outcome names this class, the message says the status. */
    static final class TokenUnavailable extends IOException {
        TokenUnavailable(String message) {
            super(message);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
