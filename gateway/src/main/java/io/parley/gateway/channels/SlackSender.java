package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Sends replies with Slack's {@code chat.postMessage} to the conversation's channel, in parts of at
 * most 4000 characters. A 429 waits the {@code Retry-After} Slack asks (up to
 * {@link TelegramSettings#MAX_RETRY_AFTER}); 5xx and connection failures are retried with backoff;
 * {@code "ok": false} answers ({@code channel_not_found}, {@code not_in_channel}, {@code invalid_auth})
 * are permanent. INTERIM replies are not sent: Slack has no typing indicator for bots.
 */
public final class SlackSender {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SlackSettings settings;
    private final HttpClient http;
    private final CallbackSender.Sleeper sleeper;

    public SlackSender(SlackSettings settings, HttpClient http, CallbackSender.Sleeper sleeper) {
        this.settings = settings;
        this.http = http;
        this.sleeper = sleeper;
    }

    public CallbackSender.Outcome deliver(ChatReply reply) throws InterruptedException {
        String prefix = settings.name() + ":";
        if (!reply.getConversationId().startsWith(prefix)) {
            return new CallbackSender.Outcome(false, 0, "not a Slack conversation");
        }
        if (reply.getKind() == ReplyKind.INTERIM) {
            return new CallbackSender.Outcome(true, 0, "interim not shown on Slack");
        }
        String channel = reply.getConversationId().substring(prefix.length());
        CallbackSender.Outcome outcome = null;
        List<String> parts = TelegramSender.split(reply.getText(), SlackSettings.MAX_TEXT);
        for (String part : parts) {
            outcome = post(JSON.createObjectNode().put("channel", channel).put("text", part));
            if (!outcome.delivered()) {
                return outcome;
            }
        }
        return outcome;
    }

    private CallbackSender.Outcome post(ObjectNode body) throws InterruptedException {
        URI url = URI.create(settings.apiBaseUrl().toString().replaceAll("/+$", "") + "/chat.postMessage");
        Duration backoff = settings.firstBackoff();
        String last = "not attempted";
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Authorization", "Bearer " + settings.botToken().reveal())
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            Duration wait = backoff;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                JsonNode answer = parse(response.body());
                last = "chat.postMessage HTTP " + status + (answer.path("error").isTextual()
                        ? " " + answer.path("error").asText().replaceAll("[^a-z_]", "") : "");
                if (status == 200 && answer.path("ok").asBoolean(false)) {
                    return new CallbackSender.Outcome(true, attempt, last);
                }
                if (status == 429) {
                    long seconds = response.headers().firstValue("Retry-After").map(SlackSender::seconds).orElse(-1L);
                    if (seconds >= 0) {
                        wait = Duration.ofSeconds(seconds);
                        if (wait.compareTo(TelegramSettings.MAX_RETRY_AFTER) > 0) {
                            return new CallbackSender.Outcome(false, attempt, last + " Retry-After " + seconds + " s");
                        }
                    }
                } else if (status < 500) {
                    return new CallbackSender.Outcome(false, attempt, last);
                }
            } catch (IOException e) {
                last = "chat.postMessage " + e.getClass().getSimpleName();
            }
            if (attempt < settings.maxAttempts()) {
                sleeper.sleep(wait);
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0
                        ? settings.maxBackoff() : backoff.multipliedBy(2);
            }
        }
        return new CallbackSender.Outcome(false, settings.maxAttempts(), last);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static long seconds(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
