package io.parley.gateway.channels;

import io.parley.runtime.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A Microsoft Teams bot on the Bot Framework ({@code type: teams} in gateway.yaml's {@code channels:} list).
 *
 * @param name the channel name; the bot's messaging endpoint is {@code /channels/<name>/webhook}
 * @param replyTopic the topic the processor routes this channel's replies to
 * @param appId the bot's Microsoft App ID: the audience of the Bot Framework's tokens, and the client id of ours
 * @param appPassword the bot's client secret; never logged
 * @param openIdMetadataUrl where the Bot Framework publishes its signing keys ({@code jwks_uri} of this document)
 * @param tokenUrl the client-credentials token endpoint the bot's own tokens come from
 * @param tokenScope the scope asked for ({@code https://api.botframework.com/.default})
 * @param identities {@code from.aadObjectId} (or, without one, {@code from.id}) to Parley user id; unmapped:
 *     {@code <name>:<that id>}
 * @param maxAttempts Bot Connector call attempts before a reply goes to the dead-letter topic
 * @param firstBackoff wait after the first failed attempt, doubled after each further one
 * @param maxBackoff the longest backoff between attempts
 * @param dedupWindow how long an activity id is remembered to drop the Bot Framework's redeliveries
 * @param maxMessageChars the longest message text accepted
 */
public record TeamsSettings(String name, String replyTopic, String appId, Secret appPassword, URI openIdMetadataUrl,
                            URI tokenUrl, String tokenScope, Map<String, String> identities, int maxAttempts,
                            Duration firstBackoff, Duration maxBackoff, Duration dedupWindow, int maxMessageChars)
        implements ChannelDefinition {

    public static final URI DEFAULT_OPENID_METADATA = URI.create(
            "https://login.botframework.com/v1/.well-known/openidconfiguration");
    public static final URI DEFAULT_TOKEN_URL = URI.create(
            "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token");
    public static final String DEFAULT_SCOPE = "https://api.botframework.com/.default";
    /** The issuer of the tokens the Bot Framework sends to bots. */
    public static final String ISSUER = "https://api.botframework.com";
    /** The clock skew allowed on a token's expiry and not-before (the Bot Framework's guidance: 5 minutes). */
    public static final Duration SKEW = Duration.ofMinutes(5);
    /** The Bot Framework times out a bot after 15 s; the gateway answers by this, produced or not. */
    public static final Duration ACK_WITHIN = Duration.ofMillis(5000);
    /** Teams' limit on a message is about 28 KB; longer replies are sent in parts of this many characters. */
    public static final int MAX_TEXT = 20_000;
    /** How long a conversation's {@code serviceUrl} is remembered after its last message (read back on start). */
    public static final Duration REMEMBER = Duration.ofDays(7);

    public TeamsSettings {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(appPassword, "appPassword");
        identities = Map.copyOf(identities);
    }

    /** The Parley user id of a Teams user. */
    public String userId(String teamsUserId) {
        return identities.getOrDefault(teamsUserId, name + ":" + teamsUserId);
    }
}
