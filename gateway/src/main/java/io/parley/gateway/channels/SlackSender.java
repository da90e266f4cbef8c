package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Sends replies with Slack's {@code chat.postMessage} to the conversation's channel, in parts of at
 * most 4000 characters, through {@link RetryingPost}: a 429 waits the {@code Retry-After} Slack asks;
 * 5xx and connection failures are retried with backoff; {@code "ok": false} answers
 * ({@code channel_not_found}, {@code not_in_channel}, {@code invalid_auth}) are permanent. Quick replies
 * become Block Kit buttons on the last part (a section with the text, an actions block with one button each,
 * the quick reply as the button's value); a press comes back through the interactivity endpoint
 * ({@link SlackInbound#receiveAction}). INTERIM replies are not sent: Slack has no typing indicator for bots.
 */
public final class SlackSender {

    /** Slack's limits: buttons per actions block, characters of a button's text and value. */
    static final int MAX_BUTTONS = 25;
    static final int MAX_BUTTON_TEXT = 75;
    static final int MAX_BUTTON_VALUE = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SlackSettings settings;
    private final RetryingPost post;

    public SlackSender(SlackSettings settings, HttpClient http, RetryingPost.Sleeper sleeper) {
        this(settings, http, Clock.systemUTC(), sleeper);
    }

    public SlackSender(SlackSettings settings, HttpClient http, Clock clock, RetryingPost.Sleeper sleeper) {
        this.settings = settings;
        this.post = new RetryingPost(http, clock, sleeper, settings.maxAttempts(), settings.firstBackoff(),
                settings.maxBackoff());
    }

    public RetryingPost.Outcome deliver(ChatReply reply) throws InterruptedException {
        String prefix = settings.name() + ":";
        if (!reply.getConversationId().startsWith(prefix)) {
            return new RetryingPost.Outcome(false, 0, "not a Slack conversation");
        }
        if (reply.getKind() == ReplyKind.INTERIM) {
            return new RetryingPost.Outcome(true, 0, "interim not shown on Slack");
        }
        String channel = reply.getConversationId().substring(prefix.length());
        RetryingPost.Outcome outcome = null;
        List<String> parts = TelegramSender.split(reply.getText(), SlackSettings.MAX_TEXT);
        for (int i = 0; i < parts.size(); i++) {
            ObjectNode body = JSON.createObjectNode().put("channel", channel).put("text", parts.get(i));
            if (i == parts.size() - 1 && !reply.getQuickReplies().isEmpty()) {
                buttons(body, parts.get(i), reply.getQuickReplies());
            }
            outcome = send(body);
            if (!outcome.delivered()) {
                return outcome;
            }
        }
        return outcome;
    }

    /** The quick replies as an actions block of buttons under a section with the text (kept as the fallback). */
    static void buttons(ObjectNode body, String text, List<String> quickReplies) {
        var blocks = body.putArray("blocks");
        if (!text.isBlank()) {
            // A section's text is at most 3000 characters; the message's text stays the full notification fallback.
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                    .put("text", text.length() > 3000 ? text.substring(0, 3000) : text);
        }
        var elements = blocks.addObject().put("type", "actions").put("block_id", "parley_quick_replies")
                .putArray("elements");
        List<String> shown = quickReplies.size() > MAX_BUTTONS ? quickReplies.subList(0, MAX_BUTTONS) : quickReplies;
        for (int i = 0; i < shown.size(); i++) {
            String q = shown.get(i);
            ObjectNode button = elements.addObject().put("type", "button").put("action_id", "parley_quick_reply_" + i)
                    .put("value", q.length() > MAX_BUTTON_VALUE ? q.substring(0, MAX_BUTTON_VALUE) : q);
            button.putObject("text").put("type", "plain_text")
                    .put("text", q.length() > MAX_BUTTON_TEXT ? q.substring(0, MAX_BUTTON_TEXT - 1) + "…" : q);
        }
    }

    private RetryingPost.Outcome send(ObjectNode body) throws InterruptedException {
        URI url = URI.create(settings.apiBaseUrl().toString().replaceAll("/+$", "") + "/chat.postMessage");
        return post.send("chat.postMessage", () -> HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", "Bearer " + settings.botToken().reveal())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), response -> {
            int status = response.statusCode();
            JsonNode answer = RetryingPost.json(response.body());
            String last = "chat.postMessage HTTP " + status + (answer.path("error").isTextual()
                    ? " " + answer.path("error").asText().replaceAll("[^a-z_]", "") : "");
            if (status == 200 && answer.path("ok").asBoolean(false)) {
                return RetryingPost.Verdict.delivered(last);
            }
            if (RetryingPost.retriable(status)) {
                return RetryingPost.Verdict.retry(last, post.retryAfter(response).orElse(null));
            }
            return RetryingPost.Verdict.permanent(last);
        });
    }
}
