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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends replies with the WhatsApp Cloud API ({@code POST <graphBaseUrl>/<phoneNumberId>/messages}, bearer access
 * token), through {@link RetryingPost}.
 *
 * <p>Inside the 24-hour customer-service window (the user's last message, from the {@link InboundLedger}, is
 * less than 24 h old): text in parts of at most 4096 characters; quick replies as an interactive message on the
 * last part (at most 1024 characters then): up to 3 reply buttons (titles cut to 20 characters), more as a list
 * of up to 10 rows (titles cut to 24); the button's or row's id is the full quick reply, which comes back as
 * the message text. Outside the window, the configured approved template with the reply's text as its body
 * variable, or, when none is configured, not delivered ("outside the 24-hour window"), so the reply is
 * dead-lettered with that reason. An INTERIM reply to a received message marks that message read and shows
 * the Cloud API's typing indicator (dismissed by the next message or after 25 s); an INTERIM that answers no
 * WhatsApp message is not shown.
 */
public final class WhatsAppSender {

    /** How long a reply to a message waits for that message to reach the ledger before the window is judged. */
    static final Duration LEDGER_WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WhatsAppSettings settings;
    private final InboundLedger ledger;
    private final Clock clock;
    private final RetryingPost post;

    public WhatsAppSender(WhatsAppSettings settings, InboundLedger ledger, HttpClient http, Clock clock,
                          RetryingPost.Sleeper sleeper) {
        this.settings = settings;
        this.ledger = ledger;
        this.clock = clock;
        this.post = new RetryingPost(http, clock, sleeper, settings.maxAttempts(), settings.firstBackoff(),
                settings.maxBackoff());
    }

    public RetryingPost.Outcome deliver(ChatReply reply) throws InterruptedException {
        String prefix = settings.name() + ":";
        String to = reply.getConversationId().startsWith(prefix)
                ? reply.getConversationId().substring(prefix.length()) : "";
        if (!to.matches("[0-9]{5,20}")) {
            return new RetryingPost.Outcome(false, 0, "not a WhatsApp conversation");
        }
        if (reply.getKind() == ReplyKind.INTERIM) {
            String answered = reply.getInReplyTo();
            if (answered == null || !answered.startsWith(prefix) || answered.length() == prefix.length()) {
                return new RetryingPost.Outcome(true, 0, "interim answers no WhatsApp message; not shown");
            }
            return send(typingIndicator(answered.substring(prefix.length())));
        }
        InboundLedger.Entry last = ledger.lookup(reply.getConversationId(), reply.getInReplyTo(),
                entry -> inWindow(entry, clock.instant()), LEDGER_WAIT);
        if (!inWindow(last, clock.instant())) {
            if (settings.templateName() == null) {
                return new RetryingPost.Outcome(false, 0, "outside the 24-hour customer-service window and no"
                        + " template configured");
            }
            return send(template(to, reply.getText()));
        }
        RetryingPost.Outcome outcome = null;
        for (ObjectNode message : messages(to, reply.getText(), reply.getQuickReplies())) {
            outcome = send(message);
            if (!outcome.delivered()) {
                return outcome;
            }
        }
        return outcome;
    }

    /** Whether a free-form message may be sent: the user wrote less than 24 hours ago. */
    static boolean inWindow(InboundLedger.Entry last, Instant now) {
        return last != null && last.lastInbound().isAfter(now.minus(WhatsAppSettings.SERVICE_WINDOW));
    }

    static List<ObjectNode> messages(String to, String text, List<String> quickReplies) {
        boolean interactive = !quickReplies.isEmpty();
        List<String> parts = TelegramSender.split(text, interactive ? WhatsAppSettings.MAX_INTERACTIVE_BODY
                : WhatsAppSettings.MAX_TEXT);
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            ObjectNode message = base(to);
            if (i < parts.size() - 1 || !interactive) {
                message.put("type", "text").putObject("text").put("preview_url", false).put("body", parts.get(i));
            } else {
                message.put("type", "interactive");
                message.set("interactive", interactive(parts.get(i), quickReplies));
            }
            out.add(message);
        }
        return out;
    }

    private static ObjectNode interactive(String body, List<String> quickReplies) {
        ObjectNode interactive = JSON.createObjectNode();
        interactive.putObject("body").put("text", body.isBlank() ? "…" : body);
        if (quickReplies.size() <= WhatsAppSettings.MAX_BUTTONS) {
            interactive.put("type", "button");
            ArrayNode buttons = interactive.putObject("action").putArray("buttons");
            for (String q : quickReplies) {
                buttons.addObject().put("type", "reply").putObject("reply").put("id", cut(q, 256)).put("title", cut(q, 20));
            }
        } else {
            interactive.put("type", "list");
            ObjectNode action = interactive.putObject("action").put("button", "Choose");
            ArrayNode rows = action.putArray("sections").addObject().putArray("rows");
            quickReplies.stream().limit(WhatsAppSettings.MAX_ROWS)
                    .forEach(q -> rows.addObject().put("id", cut(q, 200)).put("title", cut(q, 24)));
        }
        return interactive;
    }

    /** Marks the received message read and shows "typing…" until the next message, at most 25 s. */
    static ObjectNode typingIndicator(String receivedMessageId) {
        ObjectNode request = JSON.createObjectNode().put("messaging_product", "whatsapp").put("status", "read")
                .put("message_id", receivedMessageId);
        request.putObject("typing_indicator").put("type", "text");
        return request;
    }

    private ObjectNode template(String to, String text) {
        ObjectNode message = base(to).put("type", "template");
        ObjectNode template = message.putObject("template").put("name", settings.templateName());
        template.putObject("language").put("code", settings.templateLanguage());
        template.putArray("components").addObject().put("type", "body").putArray("parameters").addObject()
                .put("type", "text").put("text", cut(text.replaceAll("[\\n\\t]+", " ").replaceAll(" {4,}", "   "),
                        WhatsAppSettings.MAX_INTERACTIVE_BODY));
        return message;
    }

    private static ObjectNode base(String to) {
        return JSON.createObjectNode().put("messaging_product", "whatsapp").put("recipient_type", "individual")
                .put("to", to);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private RetryingPost.Outcome send(ObjectNode message) throws InterruptedException {
        URI url = URI.create(settings.graphBaseUrl().toString().replaceAll("/+$", "") + "/" + settings.phoneNumberId()
                + "/messages");
        String what = message.path("type").asText();
        return post.send(what, () -> HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + settings.accessToken().reveal())
                .POST(HttpRequest.BodyPublishers.ofString(message.toString())).build(), response -> {
            JsonNode error = RetryingPost.json(response.body()).path("error");
            // The Graph error's code, never its message (it may quote the recipient).
            String last = what + " HTTP " + response.statusCode()
                    + (error.path("code").canConvertToInt() ? " error code " + error.path("code").asInt() : "");
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return RetryingPost.Verdict.delivered(last);
            }
            // 130429 (throughput) and 131056 (pair rate limit) are rate limits answered with 400: retry them.
            int code = error.path("code").asInt(0);
            if (RetryingPost.retriable(status) || code == 130429 || code == 131056 || code == 4 || code == 80007) {
                return RetryingPost.Verdict.retry(last, post.retryAfter(response).orElse(null));
            }
            return RetryingPost.Verdict.permanent(last);
        });
    }
}
