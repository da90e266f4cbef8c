package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The one attempt loop of every outbound call of the channels (callbacks, Telegram, Slack, WhatsApp, Teams):
 * a request built afresh for each attempt, an answer read by the caller's {@link Reader}, retries with a
 * backoff of {@code firstBackoff} doubled each time up to {@code maxBackoff}, up to {@code maxAttempts}.
 *
 * <ul>
 *   <li>connection failures and timeouts are retried; the outcome names the exception's class only (messages
 *   of connection errors may carry a URL, and Telegram's URLs carry the bot token);</li>
 *   <li>a {@link Verdict#retry retry} verdict waits the backoff, or what the receiver asked
 *   ({@code Retry-After} in seconds or as an HTTP date, or the platform's own field): asked waits are honoured
 *   as asked, not cut to {@code maxBackoff} (retrying earlier than asked is refused again and counts against
 *   the receiver's limit), up to {@link RetryingPost#MAX_RETRY_AFTER}; a receiver asking for longer ends the delivery at
 *   once, not delivered, so the reply goes to the dead-letter topic instead of holding its partition;</li>
 *   <li>a {@link Verdict#permanent permanent} verdict (a 4xx other than 408, 425 and 429; a platform's
 *   {@code ok: false}) ends the delivery: retrying cannot help.</li>
 * </ul>
 */
public final class RetryingPost {

    /** How a delivery ended: delivered or not, after how many attempts, and the last status or error. */
    public record Outcome(boolean delivered, int attempts, String last) {
    }

    /** Waits between attempts; tests pass one that records instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Builds one attempt's request; may fetch what it needs (a token), failing like a connection would. */
    @FunctionalInterface
    public interface RequestFactory {
        HttpRequest build() throws IOException, InterruptedException;
    }

    /** Reads one answer: delivered, worth retrying (maybe after an asked wait) or permanently refused. */
    @FunctionalInterface
    public interface Reader {
        Verdict read(HttpResponse<String> response);
    }

    /** What an answer means, and {@code last}: its status as the outcome and the logs show it (no secrets, no text). */
    public record Verdict(Kind kind, String last, Duration retryAfter) {

        public enum Kind { DELIVERED, RETRY, PERMANENT }

        public static Verdict delivered(String last) {
            return new Verdict(Kind.DELIVERED, last, null);
        }

        public static Verdict permanent(String last) {
            return new Verdict(Kind.PERMANENT, last, null);
        }

        /** Retry; after {@code asked} when the receiver said how long to wait (null: the backoff). */
        public static Verdict retry(String last, Duration asked) {
            return new Verdict(Kind.RETRY, last, asked);
        }
    }

    /** A receiver asking to wait longer than this is not waited for: the reply is dead-lettered. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;

    public RetryingPost(HttpClient http, Clock clock, Sleeper sleeper, int maxAttempts, Duration firstBackoff,
                        Duration maxBackoff) {
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * Sends until delivered, refused for good, or out of attempts; never throws for a failed delivery.
     *
     * @param what prefixes a connection failure in the outcome ({@code "sendMessage"}; empty for none)
     * @param request builds each attempt's request (a callback signs each attempt with a fresh timestamp)
     */
    public Outcome send(String what, RequestFactory request, Reader reader) throws InterruptedException {
        Duration backoff = firstBackoff;
        String last = "not attempted";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration wait = backoff;
            try {
                Verdict verdict = reader.read(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
                last = verdict.last();
                if (verdict.kind() != Verdict.Kind.RETRY) {
                    return new Outcome(verdict.kind() == Verdict.Kind.DELIVERED, attempt, last);
                }
                if (verdict.retryAfter() != null) {
                    if (verdict.retryAfter().compareTo(MAX_RETRY_AFTER) > 0) {
                        return new Outcome(false, attempt, last + " asks to retry after "
                                + verdict.retryAfter().toSeconds() + " s, more than " + MAX_RETRY_AFTER.toSeconds() + " s");
                    }
                    wait = verdict.retryAfter();
                }
            } catch (IOException e) {
                last = (what.isEmpty() ? "" : what + " ") + e.getClass().getSimpleName();
            }
            if (attempt < maxAttempts) {
                sleeper.sleep(wait);
                backoff = min(backoff.multipliedBy(2), maxBackoff);
            }
        }
        return new Outcome(false, maxAttempts, last);
    }

    /** Whether an HTTP status may succeed later: 408, 425, 429 and 5xx. */
    public static boolean retriable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /** The plain-HTTP reading: 2xx delivered, {@link #retriable} retried (honouring {@code Retry-After}), else permanent. */
    public Verdict byStatus(String what, HttpResponse<String> response) {
        int status = response.statusCode();
        String last = (what.isEmpty() ? "" : what + " ") + "HTTP " + status;
        if (status >= 200 && status < 300) {
            return Verdict.delivered(last);
        }
        if (retriable(status)) {
            return Verdict.retry(last, retryAfter(response).orElse(null));
        }
        return Verdict.permanent(last);
    }

    /** The answer's {@code Retry-After}, in seconds or as an HTTP date relative to the injected clock. */
    public Optional<Duration> retryAfter(HttpResponse<?> response) {
        return retryAfter(response.headers().firstValue("Retry-After").orElse(null));
    }

    Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit) && value.length() < 10) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A body as JSON; an empty object when it is none. */
    public static JsonNode json(String body) {
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
