package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.gateway.channels.ChannelEndpoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBannerTest {

    @TempDir
    Path temp;

    private static String banner(List<String> endpoints) {
        StringWriter text = new StringWriter();
        LocalBanner.adapters(endpoints, new PrintWriter(text, true));
        return text.toString();
    }

    @Test
    void withoutChannelsTheBannerSaysNoneConfiguredAndHowToAddThem() {
        assertThat(banner(List.of())).isEqualTo("  Channel adapters         none configured (--channels gateway.yaml serves"
                + " its channels: list)" + System.lineSeparator());
    }

    @Test
    void channelsOfTheFileAreListedWithTheirUrlsAndRoutedToTheirReplyTopics() throws Exception {
        // Given a gateway.yaml with a WhatsApp number and a Teams bot
        Path file = Files.writeString(temp.resolve("gateway.yaml"), """
                channels:
                  - {name: wa, type: whatsapp, appSecret: "whatsapp-app-secret-xx", verifyToken: "verify-token-of-16+",
                     accessToken: "EAAG-access-token-secret", phoneNumberId: "106540352242922"}
                  - {name: teams, type: teams, appId: 8e0b3f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b, appPassword: "client-secret-1"}
                """);
        var adapters = LocalMode.adapters(file, "console");
        // Then the banner lists their endpoints on the local gateway
        String text = banner(ChannelEndpoints.describe(adapters, URI.create("http://127.0.0.1:8480")));
        assertThat(text).contains("wa (whatsapp) webhook callback URL: http://127.0.0.1:8480/channels/wa/webhook")
                .contains("teams (teams) messaging endpoint: http://127.0.0.1:8480/channels/teams/webhook")
                .contains("public https URL");
        // and local mode creates and routes their reply topics
        var settings = new LocalSettings(temp, false, 1, 0, 0, java.time.Duration.ZERO,
                io.parley.topics.TopicNames.defaults(), "console", "chat.replies.console").withAdapters(adapters);
        assertThat(settings.localTopics().routedReplyTopics()).contains("chat.replies.wa", "chat.replies.teams");
    }

    @Test
    void aBadChannelsFileStopsStartWithOneLineNamingTheField() throws Exception {
        Path file = Files.writeString(temp.resolve("gateway.yaml"), "channels: [{name: wa, type: whatsapp}]\n");
        assertThatThrownBy(() -> LocalMode.adapters(file, "console"))
                .hasMessageStartingWith(file + ": channels[0] (wa).appSecret: missing")
                .hasMessageNotContaining("\n");
        Path clash = Files.writeString(temp.resolve("clash.yaml"),
                "channels: [{name: console, bearerToken: ops-bearer-token-of-at-least-32-characters}]\n");
        assertThatThrownBy(() -> LocalMode.adapters(clash, "console")).hasMessageContaining("(console).name");
    }
}
