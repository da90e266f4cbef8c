package io.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.channels.ChannelSettings;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.topics.TopicNames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads the {@code channels:} list of gateway.yaml, the generic webhook/REST channels. Errors name
 * the entry by its position and name: {@code gateway.yaml: channels[0] (crm).hmacSecret: too short}.
 */
final class ChannelsSection {

    private static final Set<String> KEYS = Set.of("name", "replyTopic", "hmacSecret", "bearerToken", "timestampWindow",
            "callbackUrl", "maxAttempts", "firstBackoff", "maxBackoff", "callbackTimeout", "longPollWait", "keepReplies",
            "repliesPerConversation", "dedupWindow");

    private ChannelsSection() {
    }

    static List<ChannelSettings> read(GatewayConfig.Reader r, JsonNode list, ConfigVariables variables,
                                      String webChannel, int maxMessageChars) {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new ConfigException(r.file() + ": channels: a list of channels expected (- name: crm ...)");
        }
        List<ChannelSettings> out = new ArrayList<>();
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
            r.onlyKeys(at, c, KEYS);
            String replyTopic = r.text(at + ".replyTopic", c.path("replyTopic"), "chat.replies." + name);
            try {
                TopicNames.requireValidName(at + ".replyTopic", replyTopic);
            } catch (RuntimeException e) {
                throw new ConfigException(r.file() + ": " + e.getMessage());
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
            if (longPollWait.compareTo(Duration.ofMinutes(2)) > 0) {
                throw r.error(at + ".longPollWait", c.path("longPollWait").asText(), "allowed are up to 2m");
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

    private static Duration positive(GatewayConfig.Reader r, String where, JsonNode node, Duration fallback) {
        Duration d = r.duration(where, node, fallback);
        if (d.isZero() || d.isNegative()) {
            throw r.error(where, node.asText(), "a positive duration expected (5m, 30s)");
        }
        return d;
    }
}
