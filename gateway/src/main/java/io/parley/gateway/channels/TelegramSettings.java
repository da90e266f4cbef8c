package io.parley.gateway.channels;

import io.parley.runtime.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A Telegram bot channel ({@code type: telegram} in gateway.yaml's {@code channels:} list).
 *
 * @param name the channel name; the webhook is {@code /channels/<name>/webhook}
 * @param replyTopic the topic the processor routes this channel's replies to
 * @param botToken the bot's token from BotFather; it is part of every Bot API URL and never logged
 * @param secretToken the {@code secret_token} given to {@code setWebhook}; Telegram sends it in
 *     {@code X-Telegram-Bot-Api-Secret-Token} and an update without it is refused
 * @param apiBaseUrl the Bot API's base URL ({@code https://api.telegram.org}; tests point it elsewhere)
 * @param identities Telegram user id ({@code message.from.id}) to Parley user id; an unmapped user is
 *     {@code <name>:<telegram id>}
 * @param maxAttempts Bot API call attempts before a reply goes to the dead-letter topic
 * @param firstBackoff wait after the first failed attempt, doubled after each further one
 * @param maxBackoff the longest backoff between attempts (a 429's {@code retry_after} is honoured as asked, up to
 *     {@link RetryingPost#MAX_RETRY_AFTER})
 * @param dedupWindow how long an {@code update_id} is remembered to drop Telegram's redeliveries
 * @param maxMessageChars the longest message text accepted
 */
public record TelegramSettings(String name, String replyTopic, Secret botToken, Secret secretToken, URI apiBaseUrl,
                               Map<String, String> identities, int maxAttempts, Duration firstBackoff,
                               Duration maxBackoff, Duration dedupWindow, int maxMessageChars)
        implements ChannelDefinition {

    public static final URI DEFAULT_API = URI.create("https://api.telegram.org");
    /** Telegram's limit on a message's text. */
    public static final int MAX_TEXT = 4096;

    public TelegramSettings {
        Objects.requireNonNull(botToken, "botToken");
        Objects.requireNonNull(secretToken, "secretToken");
        identities = Map.copyOf(identities);
    }

    /** The Parley user id of a Telegram user. */
    public String userId(String telegramUserId) {
        return identities.getOrDefault(telegramUserId, name + ":" + telegramUserId);
    }
}
