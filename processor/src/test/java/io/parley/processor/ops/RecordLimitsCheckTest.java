package io.parley.processor.ops;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.config.InputLimits;
import io.parley.processor.config.Limits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every record a turn can write must fit the producer's max.request.size and its topic's max.message.bytes. */
class RecordLimitsCheckTest {

    private static final RecordLimitsCheck.Targets DEFAULT_TARGETS = targets(Map.of());

    @Test
    void theDefaultsFitKafkasDefaults() {
        assertThatCode(() -> RecordLimitsCheck.check(Limits.DEFAULTS, InputLimits.DEFAULTS, DEFAULT_TARGETS,
                Map.of("backend.requests", 1_048_588, "chat.replies", 1_048_588), 1_048_588)).doesNotThrowAnyException();
    }

    @Test
    void aSessionLimitAboveTheChangelogsLimitStopsTheStart() {
        Limits limits = new Limits(64 << 10, 2 << 20, 64 << 10, 4_000, 2_000, 256 << 10,
                Limits.DEFAULTS.turnCpuBudget(), Limits.DEFAULTS.stalledAfter());

        assertThatThrownBy(() -> RecordLimitsCheck.check(limits, InputLimits.DEFAULTS, DEFAULT_TARGETS, Map.of(), 1_048_588))
                .isInstanceOf(ProcessorStartupException.class)
                .hasMessage("processor.yaml: limits.maxSessionBytes lets a record grow to 2098688 bytes (with ids and record"
                        + " overhead), but the sessions changelog accepts 1048576 (the smaller of the producer's max.request.size"
                        + " and the topic's max.message.bytes); lower limits.maxSessionBytes or raise the topic's limit");
    }

    @Test
    void aTopicWithASmallerLimitIsNamed() {
        assertThatThrownBy(() -> RecordLimitsCheck.check(Limits.DEFAULTS, InputLimits.DEFAULTS, DEFAULT_TARGETS,
                Map.of("chat.dlq", 100_000), 1_048_588))
                .hasMessageContaining("limits.maxDeadLetterBytes lets a record grow to 262656 bytes")
                .hasMessageContaining("but chat.dlq accepts 100000");
    }

    @Test
    void theProducersMaxRequestSizeIsTheLimitWhenItIsSmaller() {
        RecordLimitsCheck.Targets small = targets(Map.of("producer.max.request.size", "200000"));

        assertThatThrownBy(() -> RecordLimitsCheck.check(Limits.DEFAULTS, InputLimits.DEFAULTS, small, Map.of(), 1_048_588))
                .hasMessageContaining("limits.maxSessionBytes")
                .hasMessageContaining("the sessions changelog accepts 200000");
    }

    private static RecordLimitsCheck.Targets targets(Map<String, Object> streamsProperties) {
        return new RecordLimitsCheck.Targets("processor.yaml", streamsProperties, "backend.requests", List.of("chat.replies"),
                "chat.audit", "chat.dlq");
    }
}
