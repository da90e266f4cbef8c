package io.parley.gateway;

import static io.parley.gateway.GatewayConfig.httpUrl;
import static io.parley.gateway.GatewayConfig.notAccepted;
import static io.parley.gateway.GatewayConfig.positive;
import static io.parley.gateway.GatewayConfig.text;
import static io.parley.gateway.GatewayConfig.wholeNumber;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.channels.ChannelDefinition;
import io.parley.gateway.channels.ChannelSettings;
import io.parley.gateway.channels.SlackSettings;
import io.parley.gateway.channels.TeamsSettings;
import io.parley.gateway.channels.TelegramSettings;
import io.parley.gateway.channels.WhatsAppSettings;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import io.parley.runtime.Secret;
import io.parley.topics.TopicNames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads the {@code channels:} list of gateway.yaml, the generic webhook/REST channels. Errors name
 * the entry by its position and name: {@code gateway.yaml: channels[0] (crm).hmacSecret: too short}.
 */
final class ChannelsSection {

    /** The keys of a generic webhook/REST channel (the default type), for the unknown-key check and the reference. */
    static final ConfigKeys KEYS = retries(common(ConfigKeys.section("channels[]",
            "A channel of the gateway; without type (or type: webhook), the generic webhook/REST channel"), "webhook",
            "webhook, telegram, slack, whatsapp or teams (their keys are in the sections below)"))
            .key("hmacSecret", "secret", "none", "HMAC-SHA256 key of the requests and callbacks, at least 32 bytes; set it or bearerToken")
            .key("bearerToken", "secret", "none", "the bearer token of the requests, at least 32 characters; set it or hmacSecret")
            .key("timestampWindow", "duration", ConfigKeys.duration(ChannelSettings.DEFAULT_WINDOW), "how far a signed request's timestamp may be from now")
            .key("callbackUrl", "URL", "none (long-poll)", "where replies are posted, signed; without it replies are fetched by long-poll")
            .key("callbackTimeout", "duration", ConfigKeys.duration(ChannelSettings.DEFAULT_CALLBACK_TIMEOUT), "timeout of one callback")
            .key("longPollWait", "duration", ConfigKeys.duration(ChannelSettings.DEFAULT_LONG_POLL_WAIT), "how long a poll waits for replies, up to 25s")
            .key("keepReplies", "duration", ConfigKeys.duration(ChannelSettings.DEFAULT_KEEP_REPLIES), "how long unfetched replies are kept")
            .key("repliesPerConversation", "integer 1-10000", String.valueOf(ChannelSettings.DEFAULT_REPLIES_PER_CONVERSATION),
                    "replies kept per conversation for polls");
    /** The keys of a Telegram channel. */
    static final ConfigKeys TELEGRAM_KEYS = retries(common(ConfigKeys.section("channels[type: telegram]",
            "A Telegram bot"), "telegram", "telegram (this section's keys apply)")
            .key("botToken", "secret", "", "the bot's token from BotFather (required)")
            .key("secretToken", "secret", "", "the secret_token given to setWebhook, 16 to 256 of A-Z a-z 0-9 _ - (required)")
            .key("apiBaseUrl", "URL", TelegramSettings.DEFAULT_API.toString(), "the Bot API"), "a numeric Telegram user id");
    /** The keys of a Slack channel. */
    static final ConfigKeys SLACK_KEYS = retries(common(ConfigKeys.section("channels[type: slack]",
            "A Slack app"), "slack", "slack (this section's keys apply)")
            .key("signingSecret", "secret", "", "the app's signing secret, at least 16 characters (required)")
            .key("botToken", "secret", "", "the bot token, xoxb-... (required)")
            .key("apiBaseUrl", "URL", SlackSettings.DEFAULT_API.toString(), "the Web API"), "a Slack user id (U0123ABCD)");
    /** The keys of a WhatsApp (Cloud API) channel. */
    static final ConfigKeys WHATSAPP_KEYS = retries(common(ConfigKeys.section("channels[type: whatsapp]",
            "A WhatsApp Business number (Cloud API)"), "whatsapp", "whatsapp (this section's keys apply)")
            .key("appSecret", "secret", "", "the Meta app's secret, at least 16 characters (required)")
            .key("verifyToken", "secret", "", "the verify token of the app's webhook settings, at least 16 characters (required)")
            .key("accessToken", "secret", "", "the access token replies are sent with, at least 20 characters (required)")
            .key("phoneNumberId", "digits", "", "the business number's Phone number ID (required)")
            .key("graphBaseUrl", "URL", WhatsAppSettings.DEFAULT_GRAPH.toString(), "the Graph API")
            .key("templateName", "string", "none", "the message template sent outside the 24-hour window")
            .key("templateLanguage", "string", WhatsAppSettings.DEFAULT_TEMPLATE_LANGUAGE, "the template's language code"),
            "a WhatsApp id (digits of the international number)");
    /** The keys of a Microsoft Teams channel. */
    static final ConfigKeys TEAMS_KEYS = retries(common(ConfigKeys.section("channels[type: teams]",
            "A Microsoft Teams bot (Bot Framework)"), "teams", "teams (this section's keys apply)")
            .key("appId", "GUID", "", "the bot's Microsoft App ID (required)")
            .key("appPassword", "secret", "", "the bot's client secret, at least 8 characters (required)")
            .key("openIdMetadataUrl", "URL", TeamsSettings.DEFAULT_OPENID_METADATA.toString(), "where the Bot Framework's signing keys are found")
            .key("tokenUrl", "URL", TeamsSettings.DEFAULT_TOKEN_URL.toString(), "where the bot's access token is fetched"),
            "an aadObjectId or Teams user id");
    /** Every declared channel section, in the order the reference lists them. */
    static final List<ConfigKeys> SECTIONS = List.of(KEYS, TELEGRAM_KEYS, SLACK_KEYS, WHATSAPP_KEYS, TEAMS_KEYS);

    private static ConfigKeys common(ConfigKeys keys, String type, String typeDescription) {
        return keys.key("name", "string", "", "the channel's name, 1 to 40 of a-z 0-9 _ - (required)")
                .key("type", "string", type.equals("webhook") ? "webhook" : "", typeDescription)
                .key("replyTopic", "topic", "chat.replies.<name>", "the topic the processor writes this channel's replies to");
    }

    private static ConfigKeys retries(ConfigKeys keys) {
        return keys.key("maxAttempts", "integer 1-20", String.valueOf(ChannelSettings.DEFAULT_MAX_ATTEMPTS), "attempts to deliver a reply")
                .key("firstBackoff", "duration", ConfigKeys.duration(ChannelSettings.DEFAULT_FIRST_BACKOFF), "wait before the second attempt")
                .key("maxBackoff", "duration", ConfigKeys.duration(ChannelSettings.DEFAULT_MAX_BACKOFF), "longest wait between attempts, up to 2m")
                .key("dedupWindow", "duration", ConfigKeys.duration(ChannelSettings.DEFAULT_DEDUP_WINDOW), "how long a message id is remembered to drop redeliveries");
    }

    private static ConfigKeys retries(ConfigKeys keys, String identity) {
        return retries(keys.key("identities", "mapping of platform id to user id", "{}", identity + " -> the Parley user id"));
    }

    private ChannelsSection() {
    }

    static List<ChannelDefinition> read(ConfigSection root, ConfigVariables variables, String webChannel,
                                        int maxMessageChars) {
        JsonNode list = root.raw("channels");
        if (list.isMissingNode()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw root.error("channels", "a list of channels expected (- name: crm ...)");
        }
        List<ChannelDefinition> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "channels[" + i + "]";
            if (!list.get(i).isObject()) {
                throw new ConfigException(root.file() + ": " + at + ": a mapping expected (name: crm, hmacSecret: ...)");
            }
            ConfigSection c = ConfigSection.of(root.file(), at, list.get(i));
            String name = text(c, "name", null);
            if (name == null) {
                throw c.error("name", "missing; the channel's name (crm)");
            }
            if (!name.matches("[a-z0-9_-]{1,40}")) {
                throw notAccepted(c, "name", name, "use 1 to 40 of a-z, 0-9, _ and -");
            }
            if (name.equals(webChannel) || !names.add(name)) {
                throw notAccepted(c, "name", name, "already the name of another channel of this gateway");
            }
            c = c.relabel(at + " (" + name + ")");
            String type = text(c, "type", "webhook");
            if (!Set.of("webhook", "telegram", "slack", "whatsapp", "teams").contains(type)) {
                throw notAccepted(c, "type", type,
                        "known types are webhook (the generic channel), telegram, slack, whatsapp and teams");
            }
            c.allowOnly(switch (type) {
                case "telegram" -> TELEGRAM_KEYS;
                case "slack" -> SLACK_KEYS;
                case "whatsapp" -> WHATSAPP_KEYS;
                case "teams" -> TEAMS_KEYS;
                default -> KEYS;
            });
            String replyTopic = text(c, "replyTopic", "chat.replies." + name);
            try {
                TopicNames.requireValidName(c.path() + ".replyTopic", replyTopic);
            } catch (RuntimeException e) {
                throw new ConfigException(c.file() + ": " + e.getMessage());
            }
            if (type.equals("telegram")) {
                out.add(telegram(c, name, replyTopic, variables, maxMessageChars));
                continue;
            }
            if (type.equals("slack")) {
                out.add(slack(c, name, replyTopic, variables, maxMessageChars));
                continue;
            }
            if (type.equals("whatsapp")) {
                out.add(whatsapp(c, name, replyTopic, variables, maxMessageChars));
                continue;
            }
            if (type.equals("teams")) {
                out.add(teams(c, name, replyTopic, variables, maxMessageChars));
                continue;
            }
            String hmac = text(c, "hmacSecret", null);
            String bearer = text(c, "bearerToken", null);
            if ((hmac == null) == (bearer == null)) {
                throw c.error("set exactly one of hmacSecret and bearerToken");
            }
            Secret hmacSecret = null;
            Secret bearerToken = null;
            if (hmac != null) {
                hmacSecret = variables.resolveSecret(c.where("hmacSecret"), hmac);
                if (hmacSecret.reveal().getBytes(StandardCharsets.UTF_8).length < 32) {
                    throw c.error("hmacSecret", "too short; at least 32 bytes");
                }
            } else {
                bearerToken = variables.resolveSecret(c.where("bearerToken"), bearer);
                if (bearerToken.reveal().length() < 32) {
                    throw c.error("bearerToken", "too short; at least 32 characters");
                }
            }
            String callbackText = text(c, "callbackUrl", null);
            URI callback = callbackText == null ? null : httpUrl(c, "callbackUrl", callbackText,
                    "an http(s) URL expected (https://crm.example.com/parley/replies)");
            Duration window = positive(c, "timestampWindow", ChannelSettings.DEFAULT_WINDOW);
            int maxAttempts = wholeNumber(c, "maxAttempts", ChannelSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
            Duration firstBackoff = positive(c, "firstBackoff", ChannelSettings.DEFAULT_FIRST_BACKOFF);
            Duration maxBackoff = positive(c, "maxBackoff", ChannelSettings.DEFAULT_MAX_BACKOFF);
            if (maxBackoff.compareTo(firstBackoff) < 0 || maxBackoff.compareTo(Duration.ofMinutes(2)) > 0) {
                throw notAccepted(c, "maxBackoff", c.string("maxBackoff", ""), "allowed are firstBackoff up to 2m");
            }
            Duration callbackTimeout = positive(c, "callbackTimeout", ChannelSettings.DEFAULT_CALLBACK_TIMEOUT);
            Duration longPollWait = positive(c, "longPollWait", ChannelSettings.DEFAULT_LONG_POLL_WAIT);
            // Below the HTTP server's idle timeout (30 s), which would otherwise cut a waiting poll.
            if (longPollWait.compareTo(Duration.ofSeconds(25)) > 0) {
                throw notAccepted(c, "longPollWait", c.string("longPollWait", ""),
                        "allowed are up to 25s (the HTTP server closes connections idle for 30 s)");
            }
            Duration keep = positive(c, "keepReplies", ChannelSettings.DEFAULT_KEEP_REPLIES);
            int perConversation = wholeNumber(c, "repliesPerConversation", ChannelSettings.DEFAULT_REPLIES_PER_CONVERSATION, 1, 10_000);
            Duration dedup = positive(c, "dedupWindow", ChannelSettings.DEFAULT_DEDUP_WINDOW);
            out.add(new ChannelSettings(name, replyTopic, hmacSecret, bearerToken, window, callback,
                    hmacSecret != null ? hmacSecret : bearerToken, maxAttempts, firstBackoff, maxBackoff, callbackTimeout,
                    longPollWait, keep, perConversation, dedup, maxMessageChars));
        }
        return List.copyOf(out);
    }

    private static TelegramSettings telegram(ConfigSection c, String name,
                                             String replyTopic, ConfigVariables variables, int maxMessageChars) {
        String token = text(c, "botToken", null);
        if (token == null) {
            throw c.error("botToken", "missing; the bot's token from BotFather"
                    + " (for example ${env:TELEGRAM_BOT_TOKEN})");
        }
        Secret botToken = variables.resolveSecret(c.where("botToken"), token);
        if (!botToken.reveal().matches("[0-9]{1,20}:[A-Za-z0-9_-]{20,}")) {
            // The value stays out of the message: it is a secret.
            throw c.error("botToken", "not a bot token (<digits>:<letters>)");
        }
        String secretText = text(c, "secretToken", null);
        if (secretText == null) {
            throw c.error("secretToken", "missing; the secret_token given to setWebhook,"
                    + " 16 to 256 of A-Z a-z 0-9 _ -");
        }
        Secret secretToken = variables.resolveSecret(c.where("secretToken"), secretText);
        if (!secretToken.reveal().matches("[A-Za-z0-9_-]{16,256}")) {
            throw c.error("secretToken", "16 to 256 of A-Z a-z 0-9 _ - expected");
        }
        String api = text(c, "apiBaseUrl", null);
        URI apiBase = api == null ? TelegramSettings.DEFAULT_API : httpUrl(c, "apiBaseUrl", api,
                "an http(s) URL expected (https://api.telegram.org)");
        Map<String, String> identities = identities(c, "[0-9]{1,20}", "a numeric Telegram user id");
        int maxAttempts = wholeNumber(c, "maxAttempts", ChannelSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
        Duration firstBackoff = positive(c, "firstBackoff", ChannelSettings.DEFAULT_FIRST_BACKOFF);
        Duration maxBackoff = maxBackoff(c, firstBackoff);
        Duration dedup = positive(c, "dedupWindow", ChannelSettings.DEFAULT_DEDUP_WINDOW);
        return new TelegramSettings(name, replyTopic, botToken, secretToken, apiBase, identities, maxAttempts,
                firstBackoff, maxBackoff, dedup, maxMessageChars);
    }

    private static SlackSettings slack(ConfigSection c, String name,
                                       String replyTopic, ConfigVariables variables, int maxMessageChars) {
        String signing = text(c, "signingSecret", null);
        if (signing == null) {
            throw c.error("signingSecret", "missing; the app's signing secret"
                    + " (for example ${env:SLACK_SIGNING_SECRET})");
        }
        Secret signingSecret = variables.resolveSecret(c.where("signingSecret"), signing);
        if (signingSecret.reveal().length() < 16) {
            throw c.error("signingSecret", "too short; at least 16 characters");
        }
        String token = text(c, "botToken", null);
        if (token == null) {
            throw c.error("botToken", "missing; the bot token (xoxb-...)"
                    + " (for example ${env:SLACK_BOT_TOKEN})");
        }
        Secret botToken = variables.resolveSecret(c.where("botToken"), token);
        if (!botToken.reveal().startsWith("xoxb-")) {
            throw c.error("botToken", "not a bot token (xoxb-...)");
        }
        String api = text(c, "apiBaseUrl", null);
        URI apiBase = api == null ? SlackSettings.DEFAULT_API : httpUrl(c, "apiBaseUrl", api,
                "an http(s) URL expected (https://slack.com/api)");
        Map<String, String> identities = identities(c, "[A-Z0-9]{2,30}", "a Slack user id (U0123ABCD)");
        int maxAttempts = wholeNumber(c, "maxAttempts", ChannelSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
        Duration firstBackoff = positive(c, "firstBackoff", ChannelSettings.DEFAULT_FIRST_BACKOFF);
        Duration maxBackoff = maxBackoff(c, firstBackoff);
        Duration dedup = positive(c, "dedupWindow", ChannelSettings.DEFAULT_DEDUP_WINDOW);
        return new SlackSettings(name, replyTopic, signingSecret, botToken, apiBase, identities, maxAttempts,
                firstBackoff, maxBackoff, dedup, maxMessageChars);
    }

    private static WhatsAppSettings whatsapp(ConfigSection c, String name,
                                             String replyTopic, ConfigVariables variables, int maxMessageChars) {
        Secret appSecret = secret(c, variables, "appSecret", "the Meta app's secret (App settings > Basic)"
                + " (for example ${env:WHATSAPP_APP_SECRET})", 16);
        Secret verifyToken = secret(c, variables, "verifyToken", "the verify token you type into the app's"
                + " webhook settings (for example ${env:WHATSAPP_VERIFY_TOKEN})", 16);
        Secret accessToken = secret(c, variables, "accessToken", "the (system user) access token replies are"
                + " sent with (for example ${env:WHATSAPP_ACCESS_TOKEN})", 20);
        String phoneNumberId = text(c, "phoneNumberId", null);
        if (phoneNumberId == null) {
            throw c.error("phoneNumberId", "missing; the business number's Phone number ID (WhatsApp > API Setup)");
        }
        if (!phoneNumberId.matches("[0-9]{5,30}")) {
            throw notAccepted(c, "phoneNumberId", phoneNumberId, "digits expected (the Phone number ID, not the number)");
        }
        String api = text(c, "graphBaseUrl", null);
        URI graph = api == null ? WhatsAppSettings.DEFAULT_GRAPH : httpUrl(c, "graphBaseUrl", api,
                "an http(s) URL expected (https://graph.facebook.com/v21.0)");
        String template = text(c, "templateName", null);
        if (template != null && !template.matches("[a-z0-9_]{1,512}")) {
            throw notAccepted(c, "templateName", template, "a template name is lower-case letters, digits and _");
        }
        String language = text(c, "templateLanguage", WhatsAppSettings.DEFAULT_TEMPLATE_LANGUAGE);
        if (!language.matches("[a-z]{2,3}(_[A-Z]{2})?")) {
            throw notAccepted(c, "templateLanguage", language, "a template language code expected (en, en_US, pt_BR)");
        }
        Map<String, String> identities = identities(c, "[0-9]{5,20}", "a WhatsApp id (the phone number in"
                + " international format, digits only)");
        int maxAttempts = wholeNumber(c, "maxAttempts", ChannelSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
        Duration firstBackoff = positive(c, "firstBackoff", ChannelSettings.DEFAULT_FIRST_BACKOFF);
        Duration maxBackoff = maxBackoff(c, firstBackoff);
        Duration dedup = positive(c, "dedupWindow", ChannelSettings.DEFAULT_DEDUP_WINDOW);
        return new WhatsAppSettings(name, replyTopic, appSecret, verifyToken, accessToken, phoneNumberId, graph, template,
                language, identities, maxAttempts, firstBackoff, maxBackoff, dedup, maxMessageChars);
    }

    private static TeamsSettings teams(ConfigSection c, String name,
                                       String replyTopic, ConfigVariables variables, int maxMessageChars) {
        String appId = text(c, "appId", null);
        if (appId == null) {
            throw c.error("appId", "missing; the bot's Microsoft App ID (a GUID)");
        }
        if (!appId.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw notAccepted(c, "appId", appId, "a GUID expected (the Microsoft App ID of the bot registration)");
        }
        Secret appPassword = secret(c, variables, "appPassword", "the bot's client secret"
                + " (for example ${env:TEAMS_APP_PASSWORD})", 8);
        String metadata = text(c, "openIdMetadataUrl", null);
        URI metadataUrl = metadata == null ? TeamsSettings.DEFAULT_OPENID_METADATA : httpUrl(c,
                "openIdMetadataUrl", metadata, "an http(s) URL expected ("
                        + TeamsSettings.DEFAULT_OPENID_METADATA + ")");
        String token = text(c, "tokenUrl", null);
        URI tokenUrl = token == null ? TeamsSettings.DEFAULT_TOKEN_URL : httpUrl(c, "tokenUrl", token,
                "an http(s) URL expected (" + TeamsSettings.DEFAULT_TOKEN_URL + ")");
        Map<String, String> identities = identities(c, "[A-Za-z0-9:._@-]{1,200}",
                "an aadObjectId or Teams user id");
        int maxAttempts = wholeNumber(c, "maxAttempts", ChannelSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
        Duration firstBackoff = positive(c, "firstBackoff", ChannelSettings.DEFAULT_FIRST_BACKOFF);
        Duration maxBackoff = maxBackoff(c, firstBackoff);
        Duration dedup = positive(c, "dedupWindow", ChannelSettings.DEFAULT_DEDUP_WINDOW);
        return new TeamsSettings(name, replyTopic, appId, appPassword, metadataUrl, tokenUrl, TeamsSettings.DEFAULT_SCOPE,
                identities, maxAttempts, firstBackoff, maxBackoff, dedup, maxMessageChars);
    }

    /** A required secret of at least {@code minLength} characters; the value never in a message. */
    private static Secret secret(ConfigSection c, ConfigVariables variables, String key, String what, int minLength) {
        String text = text(c, key, null);
        if (text == null) {
            throw c.error(key, "missing; " + what);
        }
        Secret secret = variables.resolveSecret(c.where(key), text);
        if (secret.reveal().length() < minLength) {
            throw c.error(key, "too short; at least " + minLength + " characters");
        }
        return secret;
    }

    private static Duration maxBackoff(ConfigSection c, Duration firstBackoff) {
        Duration maxBackoff = positive(c, "maxBackoff", ChannelSettings.DEFAULT_MAX_BACKOFF);
        if (maxBackoff.compareTo(firstBackoff) < 0 || maxBackoff.compareTo(Duration.ofMinutes(2)) > 0) {
            throw notAccepted(c, "maxBackoff", c.string("maxBackoff", ""), "allowed are firstBackoff up to 2m");
        }
        return maxBackoff;
    }

    private static Map<String, String> identities(ConfigSection c, String idPattern,
                                                  String what) {
        Map<String, String> identities = new LinkedHashMap<>();
        JsonNode ids = c.raw("identities");
        if (!ids.isMissingNode()) {
            if (!ids.isObject()) {
                throw c.error("identities", "a mapping of platform user id to user id"
                        + " expected");
            }
            for (var it = ids.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getKey().matches(idPattern) || !e.getValue().isValueNode() || e.getValue().asText().isBlank()) {
                    throw c.error("identities." + e.getKey(), what + " mapped to a non-empty user id expected");
                }
                identities.put(e.getKey(), e.getValue().asText());
            }
        }
        return identities;
    }
}
