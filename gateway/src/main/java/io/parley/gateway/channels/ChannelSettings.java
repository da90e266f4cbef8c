package io.parley.gateway.channels;

import io.parley.runtime.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One generic webhook/REST channel of {@code gateway.yaml}'s {@code channels:} list.
 *
 * @param name the channel name: in the path ({@code /channels/<name>/messages}) and in chat events
 * @param replyTopic the topic the processor routes this channel's replies to
 * @param hmacSecret requests are signed with HMAC-SHA256 under this secret; null when a bearer token is used
 * @param bearerToken requests carry {@code Authorization: Bearer <token>}; null when signed
 * @param timestampWindow how far a signed request's timestamp may be from now, either way
 * @param callbackUrl replies are POSTed here; null: replies are fetched by long-poll
 * @param callbackSecret signs the callbacks: the HMAC secret, or the bearer token of a bearer channel
 * @param maxAttempts callback attempts before a reply goes to the dead-letter topic
 * @param firstBackoff wait after the first failed attempt; doubled after each further one
 * @param maxBackoff the longest wait between attempts, also the cap on a {@code Retry-After}
 * @param callbackTimeout how long one callback attempt may take
 * @param longPollWait how long a long-poll waits for a reply before answering with none
 * @param keepReplies how long replies are held for long-poll (and read back on start)
 * @param repliesPerConversation replies held per conversation for long-poll
 * @param dedupWindow how long an event id is remembered to drop a duplicate delivery
 * @param maxMessageChars the longest message text accepted
 */
public record ChannelSettings(String name, String replyTopic, Secret hmacSecret, Secret bearerToken,
                              Duration timestampWindow, URI callbackUrl, Secret callbackSecret, int maxAttempts,
                              Duration firstBackoff, Duration maxBackoff, Duration callbackTimeout,
                              Duration longPollWait, Duration keepReplies, int repliesPerConversation,
                              Duration dedupWindow, int maxMessageChars) implements ChannelDefinition {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CALLBACK_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_LONG_POLL_WAIT = Duration.ofSeconds(25);
    public static final Duration DEFAULT_KEEP_REPLIES = Duration.ofHours(1);
    public static final int DEFAULT_REPLIES_PER_CONVERSATION = 100;
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofHours(1);

    public ChannelSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(replyTopic, "replyTopic");
        if ((hmacSecret == null) == (bearerToken == null)) {
            throw new IllegalArgumentException("exactly one of hmacSecret and bearerToken");
        }
    }

    /** Whether replies are POSTed to a callback URL (else fetched by long-poll). */
    public boolean callsBack() {
        return callbackUrl != null;
    }
}
