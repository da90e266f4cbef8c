package io.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.channels.ChannelDefinition;
import io.parley.gateway.channels.ChannelSettings;
import io.parley.gateway.channels.SlackSettings;
import io.parley.gateway.channels.TeamsSettings;
import io.parley.gateway.channels.TelegramSettings;
import io.parley.gateway.channels.WhatsAppSettings;
import io.parley.runtime.ConfigVariables;
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

    private static final Set<String> TELEGRAM_KEYS = Set.of("name", "type", "replyTopic", "botToken", "secretToken",
            "apiBaseUrl", "identities", "maxAttempts", "firstBackoff", "maxBackoff", "dedupWindow");
    private static final Set<String> SLACK_KEYS = Set.of("name", "type", "replyTopic", "signingSecret", "botToken",
            "apiBaseUrl", "identities", "maxAttempts", "firstBackoff", "maxBackoff", "dedupWindow");
    private static final Set<String> WHATSAPP_KEYS = Set.of("name", "type", "replyTopic", "appSecret", "verifyToken",
            "accessToken", "phoneNumberId", "graphBaseUrl", "templateName", "templateLanguage", "identities",
            "maxAttempts", "firstBackoff", "maxBackoff", "dedupWindow");
    private static final Set<String> TEAMS_KEYS = Set.of("name", "type", "replyTopic", "appId", "appPassword",
            "openIdMetadataUrl", "tokenUrl", "identities", "maxAttempts", "firstBackoff", "maxBackoff", "dedupWindow");
    private static final Set<String> KEYS = Set.of("name", "type", "replyTopic", "hmacSecret", "bearerToken", "timestampWindow",
            "callbackUrl", "maxAttempts", "firstBackoff", "maxBackoff", "callbackTimeout", "longPollWait", "keepReplies",
            "repliesPerConversation", "dedupWindow");

    private ChannelsSection() {
    }

    static List<ChannelDefinition> read(GatewayConfig.Reader r, JsonNode list, ConfigVariables variables,
                                      String webChannel, int maxMessageChars) {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new ConfigException(r.file() + ": channels: a list of channels expected (- name: crm ...)");
        }
        List<ChannelDefinition> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            String at = "channels[" + i + "]";
            if (!c.isObject()) {
                throw new ConfigException(r.file() + ": " + at + ": a mapping expected (name: crm, hmacSecret: ...)");
            }
            String name = r.text(at + ".name", c.path("name"), null);
            if (name == null) {
                throw new ConfigException(r.file() + ": " + at + ".name: missing; the channel's name (crm)");
            }
            if (!name.matches("[a-z0-9_-]{1,40}")) {
                throw r.error(at + ".name", name, "use 1 to 40 of a-z, 0-9, _ and -");
            }
            if (name.equals(webChannel) || !names.add(name)) {
                throw r.error(at + ".name", name, "already the name of another channel of this gateway");
            }
            at = at + " (" + name + ")";
            String type = r.text(at + ".type", c.path("type"), "webhook");
            if (!Set.of("webhook", "telegram", "slack", "whatsapp", "teams").contains(type)) {
                throw r.error(at + ".type", type,
                        "known types are webhook (the generic channel), telegram, slack, whatsapp and teams");
            }
            r.onlyKeys(at, c, switch (type) {
                case "telegram" -> TELEGRAM_KEYS;
                case "slack" -> SLACK_KEYS;
                case "whatsapp" -> WHATSAPP_KEYS;
                case "teams" -> TEAMS_KEYS;
                default -> KEYS;
            });
            String replyTopic = r.text(at + ".replyTopic", c.path("replyTopic"), "chat.replies." + name);
            try {
                TopicNames.requireValidName(at + ".replyTopic", replyTopic);
            } catch (RuntimeException e) {
                throw new ConfigException(r.file() + ": " + e.getMessage());
            }
            if (type.equals("telegram")) {
                out.add(telegram(r, at, c, name, replyTopic, variables, maxMessageChars));
                continue;
            }
            if (type.equals("slack")) {
                out.add(slack(r, at, c, name, replyTopic, variables, maxMessageChars));
                continue;
            }
            if (type.equals("whatsapp")) {
                out.add(whatsapp(r, at, c, name, replyTopic, variables, maxMessageChars));
                continue;
            }
            if (type.equals("teams")) {
                out.add(teams(r, at, c, name, replyTopic, variables, maxMessageChars));
                continue;
            }
            String hmac = r.text(at + ".hmacSecret", c.path("hmacSecret"), null);
            String bearer = r.text(at + ".bearerToken", c.path("bearerToken"), null);
            if ((hmac == null) == (bearer == null)) {
                throw new ConfigException(r.file() + ": " + at + ": set exactly one of hmacSecret and bearerToken");
            }
            Secret hmacSecret = null;
            Secret bearerToken = null;
            if (hmac != null) {
                hmacSecret = variables.resolveSecret(r.file() + ": " + at + ".hmacSecret", hmac);
                if (hmacSecret.reveal().getBytes(StandardCharsets.UTF_8).length < 32) {
                    throw new ConfigException(r.file() + ": " + at + ".hmacSecret: too short; at least 32 bytes");
                }
            } else {
                bearerToken = variables.resolveSecret(r.file() + ": " + at + ".bearerToken", bearer);
                if (bearerToken.reveal().length() < 32) {
                    throw new ConfigException(r.file() + ": " + at + ".bearerToken: too short; at least 32 characters");
                }
            }
            String callbackText = r.text(at + ".callbackUrl", c.path("callbackUrl"), null);
            URI callback = callbackText == null ? null : GatewayConfig.httpUrl(r, at + ".callbackUrl", callbackText,
                    "an http(s) URL expected (https://crm.example.com/parley/replies)");
            Duration window = positive(r, at + ".timestampWindow", c.path("timestampWindow"), ChannelSettings.DEFAULT_WINDOW);
            int maxAttempts = r.integer(at + ".maxAttempts", c.path("maxAttempts"), ChannelSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
            Duration firstBackoff = positive(r, at + ".firstBackoff", c.path("firstBackoff"),
                    ChannelSettings.DEFAULT_FIRST_BACKOFF);
            Duration maxBackoff = positive(r, at + ".maxBackoff", c.path("maxBackoff"), ChannelSettings.DEFAULT_MAX_BACKOFF);
            if (maxBackoff.compareTo(firstBackoff) < 0 || maxBackoff.compareTo(Duration.ofMinutes(2)) > 0) {
                throw r.error(at + ".maxBackoff", c.path("maxBackoff").asText(), "allowed are firstBackoff up to 2m");
            }
            Duration callbackTimeout = positive(r, at + ".callbackTimeout", c.path("callbackTimeout"),
                    ChannelSettings.DEFAULT_CALLBACK_TIMEOUT);
            Duration longPollWait = positive(r, at + ".longPollWait", c.path("longPollWait"),
                    ChannelSettings.DEFAULT_LONG_POLL_WAIT);
            // Below the HTTP server's idle timeout (30 s), which would otherwise cut a waiting poll.
            if (longPollWait.compareTo(Duration.ofSeconds(25)) > 0) {
                throw r.error(at + ".longPollWait", c.path("longPollWait").asText(),
                        "allowed are up to 25s (the HTTP server closes connections idle for 30 s)");
            }
            Duration keep = positive(r, at + ".keepReplies", c.path("keepReplies"), ChannelSettings.DEFAULT_KEEP_REPLIES);
            int perConversation = r.integer(at + ".repliesPerConversation", c.path("repliesPerConversation"),
                    ChannelSettings.DEFAULT_REPLIES_PER_CONVERSATION, 1, 10_000);
            Duration dedup = positive(r, at + ".dedupWindow", c.path("dedupWindow"), ChannelSettings.DEFAULT_DEDUP_WINDOW);
            out.add(new ChannelSettings(name, replyTopic, hmacSecret, bearerToken, window, callback,
                    hmacSecret != null ? hmacSecret : bearerToken, maxAttempts, firstBackoff, maxBackoff, callbackTimeout,
                    longPollWait, keep, perConversation, dedup, maxMessageChars));
        }
        return List.copyOf(out);
    }

    private static TelegramSettings telegram(GatewayConfig.Reader r, String at, JsonNode c, String name,
                                             String replyTopic, ConfigVariables variables, int maxMessageChars) {
        String token = r.text(at + ".botToken", c.path("botToken"), null);
        if (token == null) {
            throw new ConfigException(r.file() + ": " + at + ".botToken: missing; the bot's token from BotFather"
                    + " (for example ${env:TELEGRAM_BOT_TOKEN})");
        }
        Secret botToken = variables.resolveSecret(r.file() + ": " + at + ".botToken", token);
        if (!botToken.reveal().matches("[0-9]{1,20}:[A-Za-z0-9_-]{20,}")) {
            // The value stays out of the message: it is a secret.
            throw new ConfigException(r.file() + ": " + at + ".botToken: not a bot token (<digits>:<letters>)");
        }
        String secretText = r.text(at + ".secretToken", c.path("secretToken"), null);
        if (secretText == null) {
            throw new ConfigException(r.file() + ": " + at + ".secretToken: missing; the secret_token given to setWebhook,"
                    + " 16 to 256 of A-Z a-z 0-9 _ -");
        }
        Secret secretToken = variables.resolveSecret(r.file() + ": " + at + ".secretToken", secretText);
        if (!secretToken.reveal().matches("[A-Za-z0-9_-]{16,256}")) {
            throw new ConfigException(r.file() + ": " + at + ".secretToken: 16 to 256 of A-Z a-z 0-9 _ - expected");
        }
        String api = r.text(at + ".apiBaseUrl", c.path("apiBaseUrl"), null);
        URI apiBase = api == null ? TelegramSettings.DEFAULT_API : GatewayConfig.httpUrl(r, at + ".apiBaseUrl", api,
                "an http(s) URL expected (https://api.telegram.org)");
        Map<String, String> identities = identities(r, at, c, "[0-9]{1,20}", "a numeric Telegram user id");
        int maxAttempts = r.integer(at + ".maxAttempts", c.path("maxAttempts"), ChannelSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
        Duration firstBackoff = positive(r, at + ".firstBackoff", c.path("firstBackoff"), ChannelSettings.DEFAULT_FIRST_BACKOFF);
        Duration maxBackoff = maxBackoff(r, at, c, firstBackoff);
        Duration dedup = positive(r, at + ".dedupWindow", c.path("dedupWindow"), ChannelSettings.DEFAULT_DEDUP_WINDOW);
        return new TelegramSettings(name, replyTopic, botToken, secretToken, apiBase, identities, maxAttempts,
                firstBackoff, maxBackoff, dedup, maxMessageChars);
    }

    private static SlackSettings slack(GatewayConfig.Reader r, String at, JsonNode c, String name,
                                       String replyTopic, ConfigVariables variables, int maxMessageChars) {
        String signing = r.text(at + ".signingSecret", c.path("signingSecret"), null);
        if (signing == null) {
            throw new ConfigException(r.file() + ": " + at + ".signingSecret: missing; the app's signing secret"
                    + " (for example ${env:SLACK_SIGNING_SECRET})");
        }
        Secret signingSecret = variables.resolveSecret(r.file() + ": " + at + ".signingSecret", signing);
        if (signingSecret.reveal().length() < 16) {
            throw new ConfigException(r.file() + ": " + at + ".signingSecret: too short; at least 16 characters");
        }
        String token = r.text(at + ".botToken", c.path("botToken"), null);
        if (token == null) {
            throw new ConfigException(r.file() + ": " + at + ".botToken: missing; the bot token (xoxb-...)"
                    + " (for example ${env:SLACK_BOT_TOKEN})");
        }
        Secret botToken = variables.resolveSecret(r.file() + ": " + at + ".botToken", token);
        if (!botToken.reveal().startsWith("xoxb-")) {
            throw new ConfigException(r.file() + ": " + at + ".botToken: not a bot token (xoxb-...)");
        }
        String api = r.text(at + ".apiBaseUrl", c.path("apiBaseUrl"), null);
        URI apiBase = api == null ? SlackSettings.DEFAULT_API : GatewayConfig.httpUrl(r, at + ".apiBaseUrl", api,
                "an http(s) URL expected (https://slack.com/api)");
        Map<String, String> identities = identities(r, at, c, "[A-Z0-9]{2,30}", "a Slack user id (U0123ABCD)");
        int maxAttempts = r.integer(at + ".maxAttempts", c.path("maxAttempts"), ChannelSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
        Duration firstBackoff = positive(r, at + ".firstBackoff", c.path("firstBackoff"), ChannelSettings.DEFAULT_FIRST_BACKOFF);
        Duration maxBackoff = maxBackoff(r, at, c, firstBackoff);
        Duration dedup = positive(r, at + ".dedupWindow", c.path("dedupWindow"), ChannelSettings.DEFAULT_DEDUP_WINDOW);
        return new SlackSettings(name, replyTopic, signingSecret, botToken, apiBase, identities, maxAttempts,
                firstBackoff, maxBackoff, dedup, maxMessageChars);
    }

    private static WhatsAppSettings whatsapp(GatewayConfig.Reader r, String at, JsonNode c, String name,
                                             String replyTopic, ConfigVariables variables, int maxMessageChars) {
        Secret appSecret = secret(r, at, c, variables, "appSecret", "the Meta app's secret (App settings > Basic)"
                + " (for example ${env:WHATSAPP_APP_SECRET})", 16);
        Secret verifyToken = secret(r, at, c, variables, "verifyToken", "the verify token you type into the app's"
                + " webhook settings (for example ${env:WHATSAPP_VERIFY_TOKEN})", 16);
        Secret accessToken = secret(r, at, c, variables, "accessToken", "the (system user) access token replies are"
                + " sent with (for example ${env:WHATSAPP_ACCESS_TOKEN})", 20);
        String phoneNumberId = r.text(at + ".phoneNumberId", c.path("phoneNumberId"), null);
        if (phoneNumberId == null) {
            throw new ConfigException(r.file() + ": " + at + ".phoneNumberId: missing; the business number's Phone"
                    + " number ID (WhatsApp > API Setup)");
        }
        if (!phoneNumberId.matches("[0-9]{5,30}")) {
            throw r.error(at + ".phoneNumberId", phoneNumberId, "digits expected (the Phone number ID, not the number)");
        }
        String api = r.text(at + ".graphBaseUrl", c.path("graphBaseUrl"), null);
        URI graph = api == null ? WhatsAppSettings.DEFAULT_GRAPH : GatewayConfig.httpUrl(r, at + ".graphBaseUrl", api,
                "an http(s) URL expected (https://graph.facebook.com/v21.0)");
        String template = r.text(at + ".templateName", c.path("templateName"), null);
        if (template != null && !template.matches("[a-z0-9_]{1,512}")) {
            throw r.error(at + ".templateName", template, "a template name is lower-case letters, digits and _");
        }
        String language = r.text(at + ".templateLanguage", c.path("templateLanguage"),
                WhatsAppSettings.DEFAULT_TEMPLATE_LANGUAGE);
        if (!language.matches("[a-z]{2,3}(_[A-Z]{2})?")) {
            throw r.error(at + ".templateLanguage", language, "a template language code expected (en, en_US, pt_BR)");
        }
        Map<String, String> identities = identities(r, at, c, "[0-9]{5,20}", "a WhatsApp id (the phone number in"
                + " international format, digits only)");
        int maxAttempts = r.integer(at + ".maxAttempts", c.path("maxAttempts"), ChannelSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
        Duration firstBackoff = positive(r, at + ".firstBackoff", c.path("firstBackoff"), ChannelSettings.DEFAULT_FIRST_BACKOFF);
        Duration maxBackoff = maxBackoff(r, at, c, firstBackoff);
        Duration dedup = positive(r, at + ".dedupWindow", c.path("dedupWindow"), ChannelSettings.DEFAULT_DEDUP_WINDOW);
        return new WhatsAppSettings(name, replyTopic, appSecret, verifyToken, accessToken, phoneNumberId, graph, template,
                language, identities, maxAttempts, firstBackoff, maxBackoff, dedup, maxMessageChars);
    }

    private static TeamsSettings teams(GatewayConfig.Reader r, String at, JsonNode c, String name,
                                       String replyTopic, ConfigVariables variables, int maxMessageChars) {
        String appId = r.text(at + ".appId", c.path("appId"), null);
        if (appId == null) {
            throw new ConfigException(r.file() + ": " + at + ".appId: missing; the bot's Microsoft App ID (a GUID)");
        }
        if (!appId.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw r.error(at + ".appId", appId, "a GUID expected (the Microsoft App ID of the bot registration)");
        }
        Secret appPassword = secret(r, at, c, variables, "appPassword", "the bot's client secret"
                + " (for example ${env:TEAMS_APP_PASSWORD})", 8);
        String metadata = r.text(at + ".openIdMetadataUrl", c.path("openIdMetadataUrl"), null);
        URI metadataUrl = metadata == null ? TeamsSettings.DEFAULT_OPENID_METADATA : GatewayConfig.httpUrl(r,
                at + ".openIdMetadataUrl", metadata, "an http(s) URL expected ("
                        + TeamsSettings.DEFAULT_OPENID_METADATA + ")");
        String token = r.text(at + ".tokenUrl", c.path("tokenUrl"), null);
        URI tokenUrl = token == null ? TeamsSettings.DEFAULT_TOKEN_URL : GatewayConfig.httpUrl(r, at + ".tokenUrl", token,
                "an http(s) URL expected (" + TeamsSettings.DEFAULT_TOKEN_URL + ")");
        Map<String, String> identities = identities(r, at, c, "[A-Za-z0-9:._@-]{1,200}",
                "an aadObjectId or Teams user id");
        int maxAttempts = r.integer(at + ".maxAttempts", c.path("maxAttempts"), ChannelSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
        Duration firstBackoff = positive(r, at + ".firstBackoff", c.path("firstBackoff"), ChannelSettings.DEFAULT_FIRST_BACKOFF);
        Duration maxBackoff = maxBackoff(r, at, c, firstBackoff);
        Duration dedup = positive(r, at + ".dedupWindow", c.path("dedupWindow"), ChannelSettings.DEFAULT_DEDUP_WINDOW);
        return new TeamsSettings(name, replyTopic, appId, appPassword, metadataUrl, tokenUrl, TeamsSettings.DEFAULT_SCOPE,
                identities, maxAttempts, firstBackoff, maxBackoff, dedup, maxMessageChars);
    }

    /** A required secret of at least {@code minLength} characters; the value never in a message. */
    private static Secret secret(GatewayConfig.Reader r, String at, JsonNode c, ConfigVariables variables, String key,
                                 String what, int minLength) {
        String text = r.text(at + "." + key, c.path(key), null);
        if (text == null) {
            throw new ConfigException(r.file() + ": " + at + "." + key + ": missing; " + what);
        }
        Secret secret = variables.resolveSecret(r.file() + ": " + at + "." + key, text);
        if (secret.reveal().length() < minLength) {
            throw new ConfigException(r.file() + ": " + at + "." + key + ": too short; at least " + minLength
                    + " characters");
        }
        return secret;
    }

    private static Duration maxBackoff(GatewayConfig.Reader r, String at, JsonNode c, Duration firstBackoff) {
        Duration maxBackoff = positive(r, at + ".maxBackoff", c.path("maxBackoff"), ChannelSettings.DEFAULT_MAX_BACKOFF);
        if (maxBackoff.compareTo(firstBackoff) < 0 || maxBackoff.compareTo(Duration.ofMinutes(2)) > 0) {
            throw r.error(at + ".maxBackoff", c.path("maxBackoff").asText(), "allowed are firstBackoff up to 2m");
        }
        return maxBackoff;
    }

    private static Map<String, String> identities(GatewayConfig.Reader r, String at, JsonNode c, String idPattern,
                                                  String what) {
        Map<String, String> identities = new LinkedHashMap<>();
        JsonNode ids = c.path("identities");
        if (!ids.isMissingNode() && !ids.isNull()) {
            if (!ids.isObject()) {
                throw new ConfigException(r.file() + ": " + at + ".identities: a mapping of platform user id to user id"
                        + " expected");
            }
            for (var it = ids.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getKey().matches(idPattern) || !e.getValue().isValueNode() || e.getValue().asText().isBlank()) {
                    throw new ConfigException(r.file() + ": " + at + ".identities." + e.getKey()
                            + ": " + what + " mapped to a non-empty user id expected");
                }
                identities.put(e.getKey(), e.getValue().asText());
            }
        }
        return identities;
    }

    private static Duration positive(GatewayConfig.Reader r, String where, JsonNode node, Duration fallback) {
        Duration d = r.duration(where, node, fallback);
        if (d.isZero() || d.isNegative()) {
            throw r.error(where, node.asText(), "a positive duration expected (5m, 30s)");
        }
        return d;
    }
}
