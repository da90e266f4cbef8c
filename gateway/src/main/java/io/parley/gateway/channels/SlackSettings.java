package io.parley.gateway.channels;

import io.parley.runtime.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A Slack app channel ({@code type: slack} in gateway.yaml's {@code channels:} list), on the Events API.
 *
 * @param name the channel name; the Events API request URL is {@code /channels/<name>/webhook}
 * @param replyTopic the topic the processor routes this channel's replies to
 * @param signingSecret the app's signing secret (Basic Information); requests are checked against it
 * @param botToken the bot token ({@code xoxb-...}) replies are posted with; never logged
 * @param apiBaseUrl the Web API's base URL ({@code https://slack.com/api}; tests point it elsewhere)
 * @param identities Slack user id to Parley user id; an unmapped user is {@code <name>:<slack user id>}
 * @param maxAttempts Web API call attempts before a reply goes to the dead-letter topic
 * @param firstBackoff wait after the first failed attempt, doubled after each further one
 * @param maxBackoff the longest backoff between attempts (a 429's {@code Retry-After} is honoured as asked, up to
 *     {@link RetryingPost#MAX_RETRY_AFTER})
 * @param dedupWindow how long an {@code event_id} is remembered to drop Slack's retries
 * @param maxMessageChars the longest message text accepted
 */
public record SlackSettings(String name, String replyTopic, Secret signingSecret, Secret botToken, URI apiBaseUrl,
                            Map<String, String> identities, int maxAttempts, Duration firstBackoff,
                            Duration maxBackoff, Duration dedupWindow, int maxMessageChars)
        implements ChannelDefinition {

    public static final URI DEFAULT_API = URI.create("https://slack.com/api");
    /** Slack's window for {@code X-Slack-Request-Timestamp}, either way. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** Slack wants an answer within 3 s; the gateway answers by this, produced or not. */
    public static final Duration ACK_WITHIN = Duration.ofMillis(2500);
    /** The length Slack recommends for a message's text; longer replies are sent in parts. */
    public static final int MAX_TEXT = 4000;

    public SlackSettings {
        Objects.requireNonNull(signingSecret, "signingSecret");
        Objects.requireNonNull(botToken, "botToken");
        identities = Map.copyOf(identities);
    }

    /** The Parley user id of a Slack user. */
    public String userId(String slackUserId) {
        return identities.getOrDefault(slackUserId, name + ":" + slackUserId);
    }
}
