package io.parley.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.analytics.config.AnalyticsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsConfigTest {

    private static final String MINIMAL = "kafka:\n  bootstrap.servers: k:9092\nschemaRegistry:\n  schema.registry.url: http://r:8081\n";

    @TempDir
    Path directory;

    @Test
    void defaultsReadTheProcessorsAuditTopicAsBotParley() throws IOException {
        AnalyticsConfig config = AnalyticsConfig.load(write(MINIMAL));

        assertThat(config.botTopics()).containsExactly(java.util.Map.entry("parley", "chat.audit"));
        assertThat(config.statsTopic()).isEqualTo("analytics.bot-stats");
        assertThat(config.applicationId()).isEqualTo("parley-analytics");
        assertThat(config.topNoMatches()).isEqualTo(20);
        assertThat(config.emitInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.retention(Period.DAY)).isEqualTo(Duration.ofDays(35));
        assertThat(config.adminPort()).isEqualTo(9102);
    }

    @Test
    void everyKeyIsRead() throws IOException {
        AnalyticsConfig config = AnalyticsConfig.load(write(MINIMAL + """
                bots:
                  shop: shop.audit
                  support: support.audit
                topics:
                  stats: bots.stats
                handoverIntents: [talk-to-agent]
                topNoMatches: 5
                trackedNoMatches: 50
                emitInterval: 30s
                retention:
                  hour: 72h
                  day: 90d
                admin:
                  host: 0.0.0.0
                  port: 0
                """));

        assertThat(config.botTopics()).containsExactly(java.util.Map.entry("shop", "shop.audit"), java.util.Map.entry("support", "support.audit"));
        assertThat(config.statsTopic()).isEqualTo("bots.stats");
        assertThat(config.handoverIntents()).containsExactly("talk-to-agent");
        assertThat(config.trackedNoMatches()).isEqualTo(50);
        assertThat(config.retention(Period.HOUR)).isEqualTo(Duration.ofHours(72));
        assertThat(config.adminHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void mistakesNameTheFileAndTheEntry() throws IOException {
        assertThatThrownBy(() -> AnalyticsConfig.load(write(MINIMAL + "topNoMatch: 5\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("analytics.yaml").hasMessageContaining("topNoMatch");
        assertThatThrownBy(() -> AnalyticsConfig.load(write(MINIMAL + "bots:\n  Shop Bot: chat.audit\n")))
                .hasMessageContaining("analytics.yaml: bots").hasMessageContaining("'Shop Bot' is not a bot name");
        assertThatThrownBy(() -> AnalyticsConfig.load(write(MINIMAL + "retention:\n  hour: 1h\n")))
                .hasMessageContaining("analytics.yaml: retention.hour").hasMessageContaining("at least two hours");
        assertThatThrownBy(() -> AnalyticsConfig.load(write(MINIMAL + "topNoMatches: 30\ntrackedNoMatches: 10\n")))
                .hasMessageContaining("trackedNoMatches");
        assertThatThrownBy(() -> AnalyticsConfig.load(write(MINIMAL + "topics:\n  stats: chat.audit\n")))
                .hasMessageContaining("topics.stats");
        assertThatThrownBy(() -> AnalyticsConfig.load(write("schemaRegistry:\n  schema.registry.url: http://r:8081\n")))
                .hasMessageContaining("kafka").hasMessageContaining("bootstrap.servers");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(directory.resolve("analytics.yaml"), yaml);
    }
}
