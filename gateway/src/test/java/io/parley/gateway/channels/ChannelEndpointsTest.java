package io.parley.gateway.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.gateway.GatewayConfig;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelEndpointsTest {

    @Test
    void eachAdapterListsTheUrlsToEnterOnThePlatformsSide() {
        // Given the channels: list of a gateway.yaml
        List<ChannelDefinition> channels = GatewayConfig.parseChannels("local.yaml", """
                http: {port: 1}
                channels:
                  - {name: slack, type: slack, signingSecret: "slack-signing-secret-x", botToken: "xoxb-1-token"}
                  - {name: wa, type: whatsapp, appSecret: "whatsapp-app-secret-xx", verifyToken: "verify-token-of-16+",
                     accessToken: "EAAG-access-token-secret", phoneNumberId: "106540352242922"}
                  - {name: teams, type: teams, appId: 8e0b3f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b, appPassword: "client-secret-1"}
                  - {name: ops, bearerToken: "ops-bearer-token-of-at-least-32-characters"}
                """, "web", 2000);
        // Then the endpoints name each channel, its type and the full URL
        assertThat(ChannelEndpoints.describe(channels, URI.create("http://127.0.0.1:8480/"))).containsExactly(
                "slack (slack) Event Subscriptions request URL: http://127.0.0.1:8480/channels/slack/webhook",
                "slack (slack) Interactivity request URL: http://127.0.0.1:8480/channels/slack/interactivity",
                "wa (whatsapp) webhook callback URL: http://127.0.0.1:8480/channels/wa/webhook",
                "teams (teams) messaging endpoint: http://127.0.0.1:8480/channels/teams/webhook",
                "ops (webhook) messages: POST http://127.0.0.1:8480/channels/ops/messages",
                "ops (webhook) replies: GET http://127.0.0.1:8480/channels/ops/conversations/<id>/replies");
        assertThat(ChannelEndpoints.describe(List.of(), URI.create("http://127.0.0.1:8480"))).isEmpty();
    }
}
