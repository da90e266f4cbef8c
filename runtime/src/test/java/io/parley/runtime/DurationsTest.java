package io.parley.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsShortFormsAndIso8601() {
        assertThat(Durations.parse("x", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("x", "2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("x", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("x", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("x", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("x", "PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aBadDurationNamesTheSettingAndTheValue() {
        assertThatThrownBy(() -> Durations.parse("flows/shop.yaml: intents[order_status].deadline", "soon"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("flows/shop.yaml: intents[order_status].deadline")
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> Durations.parse("d", "PT-1S"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("negative");
    }
}
