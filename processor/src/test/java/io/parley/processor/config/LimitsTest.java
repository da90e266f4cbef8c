package io.parley.processor.config;

import io.parley.runtime.config.ConfigSection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The limits: section: typed sizes and durations with defaults; a mistake names the file and the key. */
class LimitsTest {

    @Test
    void defaultsApplyWhenTheSectionIsAbsent() {
        assertThat(read("other: {}\n")).isEqualTo(Limits.DEFAULTS);
        assertThat(Limits.DEFAULTS.maxSessionBytes()).isEqualTo(512 * 1024);
    }

    @Test
    void sizesAreWrittenAsPeopleWriteThem() {
        Limits limits = read("""
                limits:
                  maxResultBytes: 128KiB
                  maxSessionBytes: 1MiB
                  maxRequestBytes: 32768
                  maxReplyChars: 2000
                  maxAuditTextChars: 1000
                  maxDeadLetterBytes: 512KiB
                  turnCpuBudget: 500ms
                  stalledAfter: 2m
                """);

        assertThat(limits).isEqualTo(new Limits(128 << 10, 1 << 20, 32768, 2000, 1000, 512 << 10,
                Duration.ofMillis(500), Duration.ofMinutes(2)));
    }

    @Test
    void aResultLargerThanTheSessionIsRefused() {
        assertThatThrownBy(() -> read("""
                limits:
                  maxResultBytes: 1MiB
                  maxSessionBytes: 512KiB
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("processor.yaml: limits.maxResultBytes: 1048576 is above maxSessionBytes (524288);"
                        + " a session must be able to hold one result");
    }

    @Test
    void outOfRangeAndUnknownKeysNameTheKey() {
        assertThatThrownBy(() -> read("limits:\n  maxSessionBytes: 1KiB\n"))
                .hasMessage("processor.yaml: limits.maxSessionBytes: 1024 bytes is out of range; allowed are 16384 to 67108864 bytes");
        assertThatThrownBy(() -> read("limits:\n  turnCpuBudget: 1ms\n"))
                .hasMessage("processor.yaml: limits.turnCpuBudget: PT0.001S is too short; allowed is 10ms or more");
        assertThatThrownBy(() -> read("limits:\n  maxSesionBytes: 1MiB\n"))
                .hasMessageStartingWith("processor.yaml: limits.maxSesionBytes: unknown key");
    }

    private static Limits read(String yaml) {
        ConfigSection root = ConfigSection.parse("processor.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        return Limits.read(root.section("limits"));
    }
}
