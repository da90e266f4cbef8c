package io.parley.gateway.channels;

import java.io.IOException;
import java.net.URI;
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
 * POSTs a reply to a channel's callback URL, signed like the caller's requests
 * ({@link Signatures}), retrying what may succeed later: connection failures, timeouts, 408, 425,
 * 429 and 5xx, up to {@code maxAttempts}, waiting {@code firstBackoff} doubled each time up to
 * {@code maxBackoff}, or what the receiver's {@code Retry-After} asks (capped at {@code maxBackoff}).
 * Other 4xx are permanent: the receiver refuses the reply, retrying cannot help.
 */
public final class CallbackSender {

    /** How a delivery ended: delivered or not, after how many attempts, and the last status or error. */
    public record Outcome(boolean delivered, int attempts, String last) {
    }

    /** Waits between attempts; tests may pass one that records instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final ChannelSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;

    public CallbackSender(ChannelSettings settings, HttpClient http, Clock clock, Sleeper sleeper) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Delivers {@code body} (a reply's JSON), retrying as configured; never throws for a failed delivery. */
    public Outcome deliver(String replyId, byte[] body) throws InterruptedException {
        URI url = settings.callbackUrl();
        Duration backoff = settings.firstBackoff();
        String last = "not attempted";
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(settings.callbackTimeout())
                    .header("Content-Type", "application/json")
                    .header(Signatures.TIMESTAMP_HEADER, timestamp)
                    .header(Signatures.SIGNATURE_HEADER, Signatures.sign(settings.callbackSecret(), timestamp, body))
                    .header("X-Parley-Reply-Id", replyId)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            Duration wait = backoff;
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                last = "HTTP " + status;
                if (status >= 200 && status < 300) {
                    return new Outcome(true, attempt, last);
                }
                if (!retriable(status)) {
                    return new Outcome(false, attempt, last);
                }
                Optional<Duration> asked = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
                if (asked.isPresent()) {
                    wait = asked.get();
                }
            } catch (IOException e) {
                // The class only: messages of connection errors may carry the URL's user info.
                last = e.getClass().getSimpleName();
            }
            if (attempt < settings.maxAttempts()) {
                sleeper.sleep(min(wait, settings.maxBackoff()));
                backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
            }
        }
        return new Outcome(false, settings.maxAttempts(), last);
    }

    static boolean retriable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /** A {@code Retry-After} in seconds or as an HTTP date, relative to the injected clock. */
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

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
