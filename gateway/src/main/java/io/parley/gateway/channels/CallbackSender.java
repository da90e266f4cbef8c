package io.parley.gateway.channels;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;

/**
 * POSTs a reply to a channel's callback URL, signed like the caller's requests
 * ({@link Signatures}) with a fresh timestamp on each attempt, through {@link RetryingPost}: connection
 * failures, timeouts, 408, 425, 429 and 5xx are retried up to {@code maxAttempts}, waiting
 * {@code firstBackoff} doubled each time up to {@code maxBackoff}, or what the receiver's
 * {@code Retry-After} asks (as asked, up to {@link RetryingPost#MAX_RETRY_AFTER}; longer: not delivered).
 * Other 4xx are permanent: the receiver refuses the reply, retrying cannot help.
 */
public final class CallbackSender {

    private final ChannelSettings settings;
    private final Clock clock;
    private final RetryingPost post;

    public CallbackSender(ChannelSettings settings, HttpClient http, Clock clock, RetryingPost.Sleeper sleeper) {
        this.settings = settings;
        this.clock = clock;
        this.post = new RetryingPost(http, clock, sleeper, settings.maxAttempts(), settings.firstBackoff(),
                settings.maxBackoff());
    }

    /** Delivers {@code body} (a reply's JSON), retrying as configured; never throws for a failed delivery. */
    public RetryingPost.Outcome deliver(String replyId, byte[] body) throws InterruptedException {
        return post.send("", () -> {
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            return HttpRequest.newBuilder(settings.callbackUrl())
                    .timeout(settings.callbackTimeout())
                    .header("Content-Type", "application/json")
                    .header(Signatures.TIMESTAMP_HEADER, timestamp)
                    .header(Signatures.SIGNATURE_HEADER, Signatures.sign(settings.callbackSecret(), timestamp, body))
                    .header("X-Parley-Reply-Id", replyId)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        }, response -> post.byStatus("", response));
    }
}
