package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.gateway.channels.ChannelSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelsConfigTest {

    private static final String BASE = """
            kafka: {bootstrap.servers: "localhost:9092"}
            schemaRegistry: {schema.registry.url: "mock://config-test"}
            tokens: {hs256Secret: "a-secret-that-is-at-least-32-bytes-long"}
            conversationKey: "conversation-key-of-at-least-32-bytes"
            """;

    @Test
    void noChannelsByDefault() {
        assertThat(GatewayConfig.parse("gateway.yaml", BASE).channels()).isEmpty();
    }

    @Test
    void aChannelGetsItsDefaultsAndItsSecretFromAConfigProvider(@TempDir Path dir) throws Exception {
        // Given the secret in a directory, as a Kubernetes secret would mount it
        Files.writeString(dir.resolve("crm-secret"), "a-file-held-hmac-secret-of-32-bytes-or-more\n");
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", BASE + """
                channels:
                  - name: crm
                    hmacSecret: "${directory:%s:crm-secret}"
                    callbackUrl: https://crm.example.com/parley/replies
                  - name: ops
                    bearerToken: "a-bearer-token-of-at-least-32-characters"
                    longPollWait: 10s
                """.formatted(dir));
        ChannelSettings crm = (ChannelSettings) config.channels().get(0);
        assertThat(crm.name()).isEqualTo("crm");
        assertThat(crm.replyTopic()).isEqualTo("chat.replies.crm");
        assertThat(crm.hmacSecret().reveal()).isEqualTo("a-file-held-hmac-secret-of-32-bytes-or-more");
        assertThat(crm.hmacSecret().toString()).doesNotContain("secret-of");
        assertThat(crm.callbackUrl()).isEqualTo(URI.create("https://crm.example.com/parley/replies"));
        assertThat(crm.timestampWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(crm.maxAttempts()).isEqualTo(ChannelSettings.DEFAULT_MAX_ATTEMPTS);
        ChannelSettings ops = (ChannelSettings) config.channels().get(1);
        assertThat(ops.callsBack()).isFalse();
        assertThat(ops.bearerToken()).isNotNull();
        assertThat(ops.longPollWait()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void badChannelsStopStartWithOneLineNamingFileEntryAndField() {
        assertError("channels: {name: crm}", "gateway.yaml: channels: a list of channels expected");
        assertError("channels: [{hmacSecret: x}]", "gateway.yaml: channels[0].name: missing");
        assertError("channels: [{name: CRM, bearerToken: x}]", "gateway.yaml: channels[0].name: CRM is not accepted");
        assertError("channels: [{name: web, bearerToken: x}]", "gateway.yaml: channels[0].name: web is not accepted");
        assertError("channels: [{name: crm}]",
                "gateway.yaml: channels[0] (crm): set exactly one of hmacSecret and bearerToken");
        assertError("channels: [{name: crm, hmacSecret: short}]",
                "gateway.yaml: channels[0] (crm).hmacSecret: too short");
        assertError("channels: [{name: crm, bearerToken: \"${env:PARLEY_TEST_NO_SUCH_VARIABLE}\"}]",
                "gateway.yaml: channels[0] (crm).bearerToken: ${env:PARLEY_TEST_NO_SUCH_VARIABLE} did not resolve");
        String ok = "bearerToken: a-bearer-token-of-at-least-32-characters";
        assertError("channels: [{name: crm, " + ok + ", callbackUrl: \"ftp://x\"}]",
                "gateway.yaml: channels[0] (crm).callbackUrl: ftp://x is not accepted");
        assertError("channels: [{name: crm, " + ok + ", maxAttempts: 0}]",
                "gateway.yaml: channels[0] (crm).maxAttempts: 0 is not accepted");
        assertError("channels: [{name: crm, " + ok + ", longPollWait: 1m}]",
                "gateway.yaml: channels[0] (crm).longPollWait: 1m is not accepted; allowed are up to 25s");
        assertError("channels: [{name: crm, " + ok + ", retries: 3}]",
                "gateway.yaml: channels[0] (crm).retries: unknown key");
        assertError("channels: [{name: crm, " + ok + "}, {name: crm, " + ok + "}]",
                "gateway.yaml: channels[1].name: crm is not accepted; already the name of another channel");
    }

    @Test
    void telegramChannelIsReadAndItsTokenNeverShowsInAnError() {
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", BASE + """
                channels:
                  - name: telegram
                    type: telegram
                    botToken: "123456:ABCdefGhIJKlmnoPQRstuVWXyz_0123456789"
                    secretToken: "telegram-webhook-secret_123"
                    identities: {"4242": alice}
                """);
        var telegram = (io.parley.gateway.channels.TelegramSettings) config.channels().get(0);
        assertThat(telegram.apiBaseUrl()).isEqualTo(URI.create("https://api.telegram.org"));
        assertThat(telegram.userId("4242")).isEqualTo("alice");
        assertThat(telegram.userId("7")).isEqualTo("telegram:7");
        assertThat(telegram.replyTopic()).isEqualTo("chat.replies.telegram");

        assertError("channels: [{name: tg, type: telegram, secretToken: telegram-webhook-secret_123}]",
                "gateway.yaml: channels[0] (tg).botToken: missing");
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE
                + "channels: [{name: tg, type: telegram, botToken: \"not-a-token-but-secret\", secretToken: x}]\n"))
                .hasMessageStartingWith("gateway.yaml: channels[0] (tg).botToken: not a bot token")
                .hasMessageNotContaining("not-a-token-but-secret");
        assertError("channels: [{name: tg, type: telegram, botToken: \"1:ABCdefGhIJKlmnoPQRstuVWXyz\", secretToken: short}]",
                "gateway.yaml: channels[0] (tg).secretToken: 16 to 256");
        assertError("channels: [{name: tg, type: telegram, botToken: \"1:ABCdefGhIJKlmnoPQRstuVWXyz\","
                + " secretToken: telegram-webhook-secret_123, identities: {alice: bob}}]",
                "gateway.yaml: channels[0] (tg).identities.alice:");
        assertError("channels: [{name: tg, type: viber}]", "gateway.yaml: channels[0] (tg).type: viber is not accepted");
        assertError("channels: [{name: tg, type: telegram, hmacSecret: x}]",
                "gateway.yaml: channels[0] (tg).hmacSecret: unknown key");
    }

    @Test
    void whatsAppAndTeamsChannelsAreReadAndTheirErrorsNameTheField() {
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", BASE + """
                channels:
                  - {name: wa, type: whatsapp, appSecret: "whatsapp-app-secret-xx", verifyToken: "verify-token-of-16+",
                     accessToken: "EAAG-access-token-secret", phoneNumberId: "106540352242922", templateName: order_update,
                     identities: {"16505551234": alice}}
                  - {name: teams, type: teams, appId: 8e0b3f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b, appPassword: "client-secret-1"}
                """);
        var wa = (io.parley.gateway.channels.WhatsAppSettings) config.channels().get(0);
        assertThat(wa.templateName()).isEqualTo("order_update");
        assertThat(wa.templateLanguage()).isEqualTo("en_US");
        assertThat(wa.graphBaseUrl()).isEqualTo(io.parley.gateway.channels.WhatsAppSettings.DEFAULT_GRAPH);
        assertThat(wa.userId("16505551234")).isEqualTo("alice");
        var teams = (io.parley.gateway.channels.TeamsSettings) config.channels().get(1);
        assertThat(teams.replyTopic()).isEqualTo("chat.replies.teams");
        assertThat(teams.openIdMetadataUrl()).isEqualTo(io.parley.gateway.channels.TeamsSettings.DEFAULT_OPENID_METADATA);
        assertError("channels: [{name: wa, type: whatsapp, verifyToken: verify-token-of-16+, accessToken: EAAG-access-token-"
                + "secret, phoneNumberId: \"1065\"}]", "gateway.yaml: channels[0] (wa).appSecret: missing");
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE + "channels: [{name: wa, type: whatsapp,"
                + " appSecret: tiny-secret, verifyToken: verify-token-of-16+, accessToken: EAAG-access-token-secret,"
                + " phoneNumberId: \"106540352242922\"}]\n"))
                .hasMessageStartingWith("gateway.yaml: channels[0] (wa).appSecret: too short")
                .hasMessageNotContaining("tiny-secret");
        assertError("channels: [{name: wa, type: whatsapp, appSecret: whatsapp-app-secret-xx, verifyToken:"
                + " verify-token-of-16+, accessToken: EAAG-access-token-secret, phoneNumberId: \"+1 650\"}]",
                "gateway.yaml: channels[0] (wa).phoneNumberId:");
        assertError("channels: [{name: wa, type: whatsapp, appSecret: whatsapp-app-secret-xx, verifyToken:"
                + " verify-token-of-16+, accessToken: EAAG-access-token-secret, phoneNumberId: \"106540352242922\","
                + " templateName: Order Update}]", "gateway.yaml: channels[0] (wa).templateName:");
        assertError("channels: [{name: teams, type: teams, appId: my-bot, appPassword: client-secret-1}]",
                "gateway.yaml: channels[0] (teams).appId:");
        assertError("channels: [{name: teams, type: teams, appId: 8e0b3f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b}]",
                "gateway.yaml: channels[0] (teams).appPassword: missing");
        assertError("channels: [{name: teams, type: teams, appId: 8e0b3f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b,"
                + " appPassword: client-secret-1, signingSecret: x}]", "gateway.yaml: channels[0] (teams).signingSecret: unknown key");
    }

    private static void assertError(String yaml, String start) {
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE + yaml + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(start)
                .hasMessageNotContaining("\n");
    }
}
