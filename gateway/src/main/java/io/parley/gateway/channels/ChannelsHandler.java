package io.parley.gateway.channels;

import io.parley.gateway.chat.ChatEventPublisher;
import io.parley.schemas.ChatEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the channels: {@code POST /channels/<name>/messages} (202 once the chat
 * event is in Kafka; the turn itself is asynchronous), for long-poll channels
 * {@code GET /channels/<name>/conversations/<id>/replies?after=<replyId>&wait=<seconds>}, and the
 * platform webhooks {@code POST /channels/<name>/webhook} (Telegram, Slack, WhatsApp, Teams), WhatsApp's
 * verification handshake {@code GET /channels/<name>/webhook}, and Slack's interactivity endpoint
 * {@code POST /channels/<name>/interactivity} (Block Kit button presses).
 * Answers are JSON; errors are {@code {"error": "..."}} naming the field or header at fault.
 */
public final class ChannelsHandler {

    public static final String PREFIX = "/channels/";
    static final int MAX_BODY = 64 * 1024;
    private static final String POST_ONLY = "POST only";
    private static final Logger LOG = LoggerFactory.getLogger(ChannelsHandler.class);
    private static final Pattern MESSAGES = Pattern.compile("/channels/([a-z0-9_-]{1,40})/messages");
    private static final Pattern WEBHOOK = Pattern.compile("/channels/([a-z0-9_-]{1,40})/webhook");
    private static final Pattern INTERACTIVITY = Pattern.compile("/channels/([a-z0-9_-]{1,40})/interactivity");
    private static final Pattern REPLIES = Pattern.compile(
            "/channels/([a-z0-9_-]{1,40})/conversations/([A-Za-z0-9._:@+=-]{1,200})/replies");

    /**
     * One endpoint that takes a signed (or token-bearing) POST, whatever the platform: how the request is judged
     * from its headers and body, and how a decision is answered.
     *
     * @param authScheme the {@code WWW-Authenticate} of a 401
     * @param notProduced told of an event Kafka did not take, so the platform's retry is not dropped as a duplicate
     * @param ackWithin when set, an event Kafka has not confirmed by then is answered 503 (the platform's deadline)
     * @param okStatus the answer once the event is in Kafka
     * @param methods the 405's text
     */
    private record SignedPost(String name, String authScheme, BiFunction<HttpFields, byte[], Inbound.Decision> receive,
                              Consumer<ChatEvent> notProduced, Duration ackWithin, int okStatus, String methods) {
    }

    private final Map<String, Inbound> inbound;
    private final Map<String, WhatsAppInbound> whatsapp;
    private final Map<String, SignedPost> messages = new HashMap<>();
    private final Map<String, SignedPost> webhooks = new HashMap<>();
    private final Map<String, SignedPost> interactivity = new HashMap<>();
    private final Map<String, ReplyMailbox> mailboxes;
    private final Consumer<ChatEvent> produced;
    private final ChatEventPublisher publisher;
    private final ChannelMetrics metrics;

    public ChannelsHandler(Map<String, Inbound> inbound, Map<String, TelegramInbound> telegram,
                           Map<String, SlackInbound> slack, Map<String, ReplyMailbox> mailboxes,
                           ChatEventPublisher publisher, ChannelMetrics metrics) {
        this(inbound, telegram, slack, Map.of(), Map.of(), mailboxes, publisher, metrics, e -> { });
    }

    /** @param produced told of each chat event once it is in Kafka (the inbound ledger learns of it at once) */
    public ChannelsHandler(Map<String, Inbound> inbound, Map<String, TelegramInbound> telegram,
                           Map<String, SlackInbound> slack, Map<String, WhatsAppInbound> whatsapp,
                           Map<String, TeamsInbound> teams, Map<String, ReplyMailbox> mailboxes,
                           ChatEventPublisher publisher, ChannelMetrics metrics,
                           java.util.function.Consumer<io.parley.schemas.ChatEvent> produced) {
        this.whatsapp = Map.copyOf(whatsapp);
        this.produced = produced;
        this.inbound = Map.copyOf(inbound);
        this.mailboxes = Map.copyOf(mailboxes);
        this.publisher = publisher;
        this.metrics = metrics;
        inbound.forEach((name, channel) -> messages.put(name, new SignedPost(name,
                channel.settings().bearerToken() != null ? "Bearer" : "Parley-HMAC-SHA256",
                (headers, body) -> channel.receive(headers.get(Signatures.TIMESTAMP_HEADER),
                        headers.get(Signatures.SIGNATURE_HEADER), headers.get(HttpHeader.AUTHORIZATION), body),
                channel::notProduced, null, HttpStatus.ACCEPTED_202, POST_ONLY)));
        telegram.forEach((name, bot) -> webhooks.put(name, new SignedPost(name, "Telegram-Secret-Token",
                (headers, body) -> bot.receive(headers.get(TelegramInbound.SECRET_HEADER), body),
                bot::notProduced, null, HttpStatus.ACCEPTED_202, POST_ONLY)));
        // Slack retries what is not answered 2xx within 3 s: answer by then, produced or not.
        slack.forEach((name, app) -> {
            webhooks.put(name, new SignedPost(name, "Slack-Signature",
                    (headers, body) -> app.receive(headers.get(SlackInbound.TIMESTAMP_HEADER),
                            headers.get(SlackInbound.SIGNATURE_HEADER), body),
                    app::notProduced, SlackSettings.ACK_WITHIN, HttpStatus.OK_200, POST_ONLY));
            interactivity.put(name, new SignedPost(name, "Slack-Signature",
                    (headers, body) -> app.receiveAction(headers.get(SlackInbound.TIMESTAMP_HEADER),
                            headers.get(SlackInbound.SIGNATURE_HEADER), body),
                    app::notProduced, SlackSettings.ACK_WITHIN, HttpStatus.OK_200, POST_ONLY));
        });
        whatsapp.forEach((name, number) -> webhooks.put(name, new SignedPost(name, "X-Hub-Signature-256",
                (headers, body) -> number.receive(headers.get(WhatsAppInbound.SIGNATURE_HEADER), body),
                number::notProduced, WhatsAppSettings.ACK_WITHIN, HttpStatus.OK_200, "GET (verification) or POST only")));
        teams.forEach((name, bot) -> webhooks.put(name, new SignedPost(name, "Bearer",
                (headers, body) -> bot.receive(headers.get(HttpHeader.AUTHORIZATION), body),
                bot::notProduced, TeamsSettings.ACK_WITHIN, HttpStatus.OK_200, POST_ONLY)));
    }

    /** Handles a request under {@link #PREFIX}; false when no channel route matches (404 by the server). */
    public boolean handle(String path, Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Matcher m = MESSAGES.matcher(path);
        if (m.matches() && messages.containsKey(m.group(1))) {
            return signedPost(messages.get(m.group(1)), request, response, callback);
        }
        m = WEBHOOK.matcher(path);
        if (m.matches() && whatsapp.containsKey(m.group(1)) && HttpMethod.GET.is(request.getMethod())) {
            return handshake(whatsapp.get(m.group(1)), request, response, callback);
        }
        if (m.matches() && webhooks.containsKey(m.group(1))) {
            return signedPost(webhooks.get(m.group(1)), request, response, callback);
        }
        m = INTERACTIVITY.matcher(path);
        if (m.matches() && interactivity.containsKey(m.group(1))) {
            return signedPost(interactivity.get(m.group(1)), request, response, callback);
        }
        m = REPLIES.matcher(path);
        if (m.matches() && inbound.containsKey(m.group(1))) {
            if (!HttpMethod.GET.is(request.getMethod())) {
                return error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "GET only");
            }
            ReplyMailbox mailbox = mailboxes.get(m.group(1));
            if (mailbox == null) {
                return error(response, callback, HttpStatus.NOT_FOUND_404,
                        "this channel delivers replies to its callback URL; there is nothing to poll");
            }
            return replies(inbound.get(m.group(1)), mailbox, m.group(2), request, response, callback);
        }
        return false;
    }

    /** Every signed POST alike: the method, the body's size, the platform's judgement, the answer. */
    private boolean signedPost(SignedPost endpoint, Request request, Response response, Callback callback)
            throws Exception {
        if (!HttpMethod.POST.is(request.getMethod())) {
            return error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, endpoint.methods());
        }
        byte[] body = body(request, response, callback, endpoint.name());
        if (body == null) {
            return true;
        }
        Inbound.Decision decision = endpoint.receive().apply(request.getHeaders(), body);
        return answer(endpoint.name(), decision, endpoint.authScheme(), endpoint.notProduced(), endpoint.ackWithin(),
                endpoint.okStatus(), response, callback);
    }

    /** WhatsApp's verification handshake: the challenge echoed when the verify token matches. */
    private boolean handshake(WhatsAppInbound number, Request request, Response response, Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        String challenge = number.verify(query.getValue("hub.mode"), query.getValue("hub.verify_token"),
                query.getValue("hub.challenge"));
        if (challenge == null) {
            metrics.message(number.settings().name(), "unauthorized");
            return error(response, callback, HttpStatus.FORBIDDEN_403,
                    "hub.mode=subscribe and the configured hub.verify_token are required");
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, challenge, callback);
        return true;
    }

    /** The body, or null when its length is missing or too large (then answered with 413 here). */
    private byte[] body(Request request, Response response, Callback callback, String name) throws Exception {
        long length = request.getLength();
        if (length < 0 || length > MAX_BODY) {
            metrics.message(name, "invalid");
            error(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                    "a body with a Content-Length up to " + MAX_BODY + " bytes is expected");
            return null;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            return in.readNBytes(MAX_BODY + 1);
        }
    }

    /**
     * Answers a decision: refusals with their status, duplicates, ignored updates and handshakes at
     * once, events once produced, with {@code okStatus}.
     *
     * @param ackWithin when set, an event not yet acknowledged by Kafka by then is answered 503 (the
     *     platform retries; the retry is dropped as a duplicate if the first did get produced)
     */
    private boolean answer(String name, Inbound.Decision decision, String authScheme,
                           java.util.function.Consumer<io.parley.schemas.ChatEvent> notProduced, Duration ackWithin,
                           int okStatus, Response response, Callback callback) {
        if (decision instanceof Inbound.Refused refused) {
            metrics.message(name, refused.status() == 401 ? "unauthorized" : "invalid");
            if (refused.status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, authScheme);
            }
            return error(response, callback, refused.status(), refused.reason());
        }
        if (decision instanceof Inbound.Duplicate duplicate) {
            metrics.message(name, "duplicate");
            return json(response, callback, okStatus,
                    "{\"status\":\"duplicate\",\"eventId\":" + quote(duplicate.eventId()) + "}");
        }
        if (decision instanceof Inbound.Challenge challenge) {
            return json(response, callback, HttpStatus.OK_200, "{\"challenge\":" + quote(challenge.challenge()) + "}");
        }
        if (decision instanceof Inbound.Ignored ignored) {
            metrics.message(name, "ignored");
            return json(response, callback, HttpStatus.OK_200, "{\"status\":\"ignored\",\"reason\":"
                    + quote(ignored.why()) + "}");
        }
        if (decision instanceof Inbound.AcceptedAll all) {
            return answerAll(name, all.events(), notProduced, ackWithin, okStatus, response, callback);
        }
        Inbound.Accepted accepted = (Inbound.Accepted) decision;
        String eventId = accepted.event().getEventId().substring(name.length() + 1);
        java.util.concurrent.CompletableFuture<Void> produced = publisher.publish(accepted.event()).toCompletableFuture();
        produced.whenComplete((ok, failure) -> {
            if (failure == null) {
                metrics.message(name, "produced");
                this.produced.accept(accepted.event());
            } else {
                notProduced.accept(accepted.event());
                metrics.message(name, "not_produced");
                LOG.warn("channel {}: event {} not produced: {}", name, eventId, failure.getClass().getSimpleName());
            }
        });
        java.util.concurrent.CompletableFuture<Void> answerable = ackWithin == null ? produced
                : produced.copy().orTimeout(ackWithin.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        answerable.whenComplete((ok, failure) -> {
            if (failure == null) {
                json(response, callback, okStatus, "{\"status\":\"accepted\",\"eventId\":" + quote(eventId) + "}");
            } else {
                error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        "the message could not be taken now; retry with the same event id");
            }
        });
        return true;
    }

    /** Several events of one request: answered once all are in Kafka (or 503 at {@code ackWithin}). */
    private boolean answerAll(String name, java.util.List<io.parley.schemas.ChatEvent> events,
                              java.util.function.Consumer<io.parley.schemas.ChatEvent> notProduced, Duration ackWithin,
                              int okStatus, Response response, Callback callback) {
        java.util.List<java.util.concurrent.CompletableFuture<Void>> all = new java.util.ArrayList<>();
        for (io.parley.schemas.ChatEvent event : events) {
            java.util.concurrent.CompletableFuture<Void> one = publisher.publish(event).toCompletableFuture();
            one.whenComplete((ok, failure) -> {
                if (failure == null) {
                    metrics.message(name, "produced");
                    produced.accept(event);
                } else {
                    notProduced.accept(event);
                    metrics.message(name, "not_produced");
                    LOG.warn("channel {}: event {} not produced: {}", name, event.getEventId(),
                            failure.getClass().getSimpleName());
                }
            });
            all.add(one);
        }
        java.util.concurrent.CompletableFuture<Void> every = java.util.concurrent.CompletableFuture.allOf(
                all.toArray(new java.util.concurrent.CompletableFuture[0]));
        if (ackWithin != null) {
            every = every.orTimeout(ackWithin.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        every.whenComplete((ok, failure) -> {
            if (failure == null) {
                json(response, callback, okStatus, "{\"status\":\"accepted\",\"events\":" + events.size() + "}");
            } else {
                error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        "the messages could not be taken now; the platform's retry is taken");
            }
        });
        return true;
    }

    private boolean replies(Inbound channel, ReplyMailbox mailbox, String conversationId, Request request,
                            Response response, Callback callback) {
        // A GET has no body: its signature covers the path and query, so it cannot be pointed elsewhere.
        String target = request.getHttpURI().getPathQuery();
        Inbound.Refused refused = channel.authenticate(request.getHeaders().get(Signatures.TIMESTAMP_HEADER),
                request.getHeaders().get(Signatures.SIGNATURE_HEADER), request.getHeaders().get(HttpHeader.AUTHORIZATION),
                target.getBytes(StandardCharsets.UTF_8));
        if (refused != null) {
            return error(response, callback, refused.status(), refused.reason());
        }
        Fields query = Request.extractQueryParameters(request);
        String after = query.getValue("after");
        Duration max = channel.settings().longPollWait();
        Duration wait = max;
        String waitText = query.getValue("wait");
        if (waitText != null) {
            try {
                long seconds = Long.parseLong(waitText);
                if (seconds < 0 || seconds > max.toSeconds()) {
                    throw new NumberFormatException();
                }
                wait = Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                return error(response, callback, HttpStatus.BAD_REQUEST_400,
                        "wait: whole seconds from 0 to " + max.toSeconds() + " expected");
            }
        }
        String name = channel.settings().name();
        mailbox.poll(channel.conversationKey(conversationId), after, wait).whenComplete((replies, failure) ->
                json(response, callback, HttpStatus.OK_200, ReplyJson.list(replies, name)));
        return true;
    }

    private static boolean error(Response response, Callback callback, int status, String reason) {
        return json(response, callback, status, "{\"error\":" + quote(reason) + "}");
    }

    private static boolean json(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    private static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
