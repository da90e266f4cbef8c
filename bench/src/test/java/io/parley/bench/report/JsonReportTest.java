package io.parley.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonReportTest {

    private static JsonNode json() throws Exception {
        return new ObjectMapper().readTree(JsonReport.render(ReportFixtures.sample()));
    }

    @Test
    void everyScenarioIsThereWithEveryField() throws Exception {
        JsonNode scenarios = json().get("scenarios");

        assertThat(scenarios).hasSize(3);
        assertThat(scenarios.findValuesAsText("id")).containsExactly("S1", "S2-alos", "S4");
        for (JsonNode scenario : scenarios) {
            assertThat(scenario.fieldNames()).toIterable()
                    .containsExactly("id", "title", "status", "reason", "configuration", "phases", "measurements");
            for (JsonNode line : scenario.get("measurements")) {
                assertThat(line.fieldNames()).toIterable()
                        .containsExactly("key", "label", "unit", "value", "target", "verdict");
            }
        }
    }

    @Test
    void measuredValuesTargetsAndVerdictsAreWritten() throws Exception {
        JsonNode root = json();
        JsonNode s1 = root.get("scenarios").get(0).get("measurements").get(0);
        JsonNode s2 = root.get("scenarios").get(1);

        assertThat(s1.get("value").asDouble()).isEqualTo(8_295.4);
        assertThat(s1.get("target").isNull()).isTrue();
        assertThat(s1.get("verdict").asText()).isEqualTo("NO_TARGET");
        assertThat(s2.get("status").asText()).isEqualTo("SKIPPED");
        assertThat(s2.get("reason").asText()).isEqualTo("no pipeline in this build");
        JsonNode target = s2.get("measurements").get(0);
        assertThat(target.get("value").isNull()).isTrue();
        assertThat(target.get("target").get("comparison").asText()).isEqualTo("AT_LEAST");
        assertThat(target.get("target").get("threshold").asDouble()).isEqualTo(5_000);
        assertThat(target.get("verdict").asText()).isEqualTo("NOT_MEASURED");
    }

    @Test
    void phasesRecordMessagesWarmUpAndReplies() throws Exception {
        JsonNode phase = json().get("scenarios").get(2).get("phases").get(0);

        assertThat(phase.get("name").asText()).isEqualTo("S4.max");
        assertThat(phase.get("messages").asLong()).isEqualTo(40);
        assertThat(phase.get("warmUp").asLong()).isEqualTo(4);
        assertThat(phase.get("answered").asLong()).isEqualTo(39);
        assertThat(phase.get("otherReplies").get("ERROR").asLong()).isEqualTo(1);
        assertThat(phase.get("offeredPerSecond").isNull()).isTrue();
    }

    @Test
    void theMachineAndTheComparisonAreRecorded() throws Exception {
        JsonNode root = json();

        JsonNode machine = root.get("machine");
        assertThat(machine.get("cores").asInt()).isEqualTo(2);
        assertThat(machine.get("jvmVersion").asText()).isEqualTo("17.0.15+6");
        assertThat(machine.get("jvmVendor").asText()).isEqualTo("Debian");
        assertThat(machine.get("maxHeapBytes").asLong()).isEqualTo(2L << 30);
        assertThat(machine.get("os").asText()).isEqualTo("Linux 6.1 amd64");
        JsonNode ratio = root.get("comparisons").get(0);
        assertThat(ratio.get("ratio").isNull()).isTrue();
        assertThat(ratio.get("target").get("threshold").asDouble()).isEqualTo(100);
        assertThat(ratio.get("verdict").asText()).isEqualTo("NOT_MEASURED");
    }
}
