package io.parley.gateway.channels;

import io.parley.runtime.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A WhatsApp Business number on the Cloud API ({@code type: whatsapp} in gateway.yaml's {@code channels:} list).
 *
 * @param name the channel name; the webhook (GET handshake and POST notifications) is {@code /channels/<name>/webhook}
 * @param replyTopic the topic the processor routes this channel's replies to
 * @param appSecret the Meta app's secret: {@code X-Hub-Signature-256} of every notification is checked against it
 * @param verifyToken the verify token typed into the app's webhook settings; the GET handshake must present it
 * @param accessToken the (system user) access token replies are sent with; never logged
 * @param phoneNumberId the business phone number's id; replies are POSTed to {@code <graphBaseUrl>/<phoneNumberId>/messages}
 *     and notifications for other numbers are ignored
 * @param graphBaseUrl the Graph API's base URL with its version ({@code https://graph.facebook.com/v21.0})
 * @param templateName the approved template sent instead of a reply outside the 24-hour customer-service window
 *     (its body's one variable {@code {{1}}} gets the reply's text); null: such replies are dead-lettered
 * @param templateLanguage the template's language code ({@code en_US})
 * @param identities WhatsApp id ({@code wa_id}, the phone number) to Parley user id; unmapped: {@code <name>:<wa_id>}
 * @param maxAttempts Graph API call attempts before a reply goes to the dead-letter topic
 * @param firstBackoff wait after the first failed attempt, doubled after each further one
 * @param maxBackoff the longest backoff between attempts
 * @param dedupWindow how long a message id is remembered to drop Meta's redeliveries; also the age beyond which a
 *     message is refused as stale (a replay of an old, validly signed notification)
 * @param maxMessageChars the longest message text accepted
 */
public record WhatsAppSettings(String name, String replyTopic, Secret appSecret, Secret verifyToken, Secret accessToken,
                               String phoneNumberId, URI graphBaseUrl, String templateName, String templateLanguage,
                               Map<String, String> identities, int maxAttempts, Duration firstBackoff,
                               Duration maxBackoff, Duration dedupWindow, int maxMessageChars)
        implements ChannelDefinition {

    public static final URI DEFAULT_GRAPH = URI.create("https://graph.facebook.com/v21.0");
    public static final String DEFAULT_TEMPLATE_LANGUAGE = "en_US";
    /** WhatsApp's customer-service window: free-form replies only this long after the user's last message. */
    public static final Duration SERVICE_WINDOW = Duration.ofHours(24);
    /**
     * A message older than this is ignored as stale: a replay of an old, validly signed notification (the
     * signature has no timestamp). Meta redelivers for up to 7 days after an outage; such late messages are
     * dropped too, counted as ignored (their replies would be outside the service window anyway).
     */
    public static final Duration STALE_AFTER = Duration.ofHours(24);
    /** Meta retries a notification not answered 200 in time; the gateway answers by this, produced or not. */
    public static final Duration ACK_WITHIN = Duration.ofMillis(5000);
    /** The Cloud API's limits: a text message's body, an interactive message's body, reply buttons, list rows. */
    public static final int MAX_TEXT = 4096;
    public static final int MAX_INTERACTIVE_BODY = 1024;
    public static final int MAX_BUTTONS = 3;
    public static final int MAX_ROWS = 10;

    public WhatsAppSettings {
        Objects.requireNonNull(appSecret, "appSecret");
        Objects.requireNonNull(verifyToken, "verifyToken");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(phoneNumberId, "phoneNumberId");
        identities = Map.copyOf(identities);
    }

    /** The Parley user id of a WhatsApp user. */
    public String userId(String waId) {
        return identities.getOrDefault(waId, name + ":" + waId);
    }
}
