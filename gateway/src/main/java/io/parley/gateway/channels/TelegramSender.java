package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends replies with the Telegram Bot API: {@code sendMessage} to the conversation's chat, the text
 * split into parts of at most 4096 characters, quick replies as a one-time reply keyboard on the last
 * part; an INTERIM reply is the {@code typing} chat action. Through {@link RetryingPost}: a 429 waits
 * the {@code retry_after} the API asks; 5xx and connection failures are retried with backoff; other
 * errors (blocked by the user, chat not found) are permanent.
 */
public final class TelegramSender {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TelegramSettings settings;
    private final RetryingPost post;

    public TelegramSender(TelegramSettings settings, HttpClient http, RetryingPost.Sleeper sleeper) {
        this(settings, http, Clock.systemUTC(), sleeper);
    }

    public TelegramSender(TelegramSettings settings, HttpClient http, Clock clock, RetryingPost.Sleeper sleeper) {
        this.settings = settings;
        this.post = new RetryingPost(http, clock, sleeper, settings.maxAttempts(), settings.firstBackoff(),
                settings.maxBackoff());
    }

    /** Delivers a reply; the outcome of the first call that failed, or of the last. */
    public RetryingPost.Outcome deliver(ChatReply reply) throws InterruptedException {
        String prefix = settings.name() + ":";
        String chatId = reply.getConversationId().startsWith(prefix)
                ? reply.getConversationId().substring(prefix.length()) : null;
        if (chatId == null || !chatId.matches("-?[0-9]{1,20}")) {
            return new RetryingPost.Outcome(false, 0, "not a Telegram chat id");
        }
        List<ObjectNode> calls = new ArrayList<>();
        String method;
        if (reply.getKind() == ReplyKind.INTERIM) {
            method = "sendChatAction";
            calls.add(JSON.createObjectNode().put("chat_id", Long.parseLong(chatId)).put("action", "typing"));
        } else {
            method = "sendMessage";
            List<String> parts = split(reply.getText(), TelegramSettings.MAX_TEXT);
            for (int i = 0; i < parts.size(); i++) {
                ObjectNode call = JSON.createObjectNode().put("chat_id", Long.parseLong(chatId)).put("text", parts.get(i));
                if (i == parts.size() - 1 && !reply.getQuickReplies().isEmpty()) {
                    ObjectNode markup = call.putObject("reply_markup");
                    ArrayNode rows = markup.putArray("keyboard");
                    reply.getQuickReplies().forEach(q -> rows.addArray().addObject().put("text", q));
                    markup.put("one_time_keyboard", true).put("resize_keyboard", true);
                }
                calls.add(call);
            }
        }
        RetryingPost.Outcome outcome = null;
        for (ObjectNode call : calls) {
            outcome = call(method, call);
            if (!outcome.delivered()) {
                return outcome;
            }
        }
        return outcome;
    }

    private RetryingPost.Outcome call(String method, ObjectNode body) throws InterruptedException {
        // The token is part of the URL: this URI never goes into a log or an exception message.
        URI url = URI.create(settings.apiBaseUrl().toString().replaceAll("/+$", "") + "/bot"
                + settings.botToken().reveal() + "/" + method);
        return post.send(method, () -> HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), response -> {
            int status = response.statusCode();
            JsonNode answer = RetryingPost.json(response.body());
            String last = method + " HTTP " + status + (answer.has("error_code") ? " error_code "
                    + answer.path("error_code").asInt() : "");
            if (status == 200 && answer.path("ok").asBoolean(false)) {
                return RetryingPost.Verdict.delivered(last);
            }
            if (RetryingPost.retriable(status)) {
                // Telegram says how long in the body (parameters.retry_after), and maybe in the header.
                long seconds = answer.path("parameters").path("retry_after").asLong(-1);
                return RetryingPost.Verdict.retry(last, seconds >= 0 ? Duration.ofSeconds(seconds)
                        : post.retryAfter(response).orElse(null));
            }
            return RetryingPost.Verdict.permanent(last);
        });
    }

    /**
     * Splits text into parts of at most {@code max} UTF-16 units (Telegram's measure), at the last
     * line break or space of a part when there is one in its second half, never inside a surrogate pair.
     */
    static List<String> split(String text, int max) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (text.length() - start > max) {
            int end = start + max;
            if (Character.isLowSurrogate(text.charAt(end))) {
                end--;
            }
            int nl = text.lastIndexOf('\n', end - 1);
            int sp = text.lastIndexOf(' ', end - 1);
            int cut = Math.max(nl, sp);
            if (cut > start + max / 2) {
                end = cut + 1;
            }
            parts.add(text.substring(start, end));
            start = end;
        }
        parts.add(text.substring(start));
        return parts;
    }
}
