package io.parley.local.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.telemetry.DeviceState;
import io.parley.processor.telemetry.RuleBook;
import io.parley.processor.telemetry.RuleEngine;
import io.parley.processor.telemetry.RuleLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cold-store example's trigger rules (examples/cold-store-alerts/rules.yaml) on the processor's own rule engine,
 * with the per-freezer thresholds of its devices.json: which measurements alert the owner and which do not. The
 * flow test format has no telemetry, so the alerts are tested here; the engine's topology wiring, templates and
 * delivery are tested by the processor's TriggerRulesTest and TelemetryAlertIT.
 */
class ColdStoreRulesTest {

    private static final Path BOT = Path.of("..", "examples", "cold-store-alerts").toAbsolutePath().normalize();
    private static final long MINUTE = 60_000;
    private static final long START = 1_780_000_000_000L;

    private final RuleBook book = RuleLoader.load(FlowSource.file(BOT.resolve("rules.yaml")));
    private final RuleEngine engine = new RuleEngine(book);
    private final DeviceState state = new DeviceState();
    private final List<RuleEngine.RuleEvent> events = new ArrayList<>();

    @Test
    void theRulesFileLoadsWithEveryRuleItsReadmeLists() {
        assertThat(book.rules()).extracting(rule -> rule.name())
                .containsExactly("freezer-too-warm", "freezer-warming-fast", "door-left-open", "hourly-average-high", "freezer-silent");
        assertThat(book.grace()).hasSeconds(30);
    }

    @Test
    void aFreezerWarmForFiveMinutesAlertsOnceAtItsOwnThreshold() throws IOException {
        // Given freezer-2, whose own temperature.max is -15 (the rule says -18)
        Map<String, Double> thresholds = thresholds("freezer-2");
        assertThat(thresholds).containsEntry("temperature.max", -15.0);

        // When it reads -16 (above the rule's -18, below its own -15) for ten minutes, then -12 for seven
        for (int minute = 0; minute < 10; minute++) {
            measure("temperature", -16, minute, thresholds);
        }
        for (int minute = 10; minute < 17; minute++) {
            measure("temperature", -12, minute, thresholds);
        }
        measure("temperature", -12, 18, thresholds); // pushes the held-back readings past the grace

        // Then only the second spell alerts, once, after five minutes, with the freezer's own threshold
        List<RuleEngine.RuleEvent> fired = fired("freezer-too-warm");
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).threshold()).isEqualTo(-15.0);
        assertThat(fired.get(0).eventTime()).isEqualTo(START + 15 * MINUTE);
    }

    @Test
    void aShortWarmSpellWhileStockingDoesNotAlert() throws IOException {
        // Given freezer-1 with the rule's -18
        Map<String, Double> thresholds = thresholds("freezer-1");

        // When it is at -17 for three minutes (the door open while stocking) and cold again after
        for (int minute = 0; minute < 3; minute++) {
            measure("temperature", -17, minute, thresholds);
        }
        for (int minute = 3; minute < 12; minute++) {
            measure("temperature", -21, minute, thresholds);
        }

        // Then no temperature alert
        assertThat(fired("freezer-too-warm")).isEmpty();
        assertThat(fired("freezer-warming-fast")).isEmpty();
    }

    @Test
    void aFailingCompressorAlertsOnTheRateBeforeTheHeldRule() throws IOException {
        Map<String, Double> thresholds = thresholds("freezer-1");

        // When the temperature climbs 3 °C a minute
        for (int minute = 0; minute < 4; minute++) {
            measure("temperature", -24 + 3 * minute, minute, thresholds);
        }
        measure("temperature", -10, 5, thresholds);

        // Then the rate rule fires at once, the held rule has not yet
        assertThat(fired("freezer-warming-fast")).hasSize(1);
        assertThat(fired("freezer-warming-fast").get(0).value()).isEqualTo(3.0);
        assertThat(fired("freezer-too-warm")).isEmpty();
    }

    @Test
    void aDoorLeftOpenForThreeMinutesAlerts() throws IOException {
        Map<String, Double> thresholds = thresholds("freezer-3");

        for (int minute = 0; minute <= 4; minute++) {
            measure("doorOpen", 1, minute, thresholds);
        }
        measure("doorOpen", 0, 5, thresholds);

        assertThat(fired("door-left-open")).hasSize(1);
        assertThat(fired("door-left-open").get(0).eventTime()).isEqualTo(START + 3 * MINUTE);
    }

    @Test
    void aSilentFreezerAlertsAfterFifteenMinutesOnce() throws IOException {
        Map<String, Double> thresholds = thresholds("freezer-1");
        measure("temperature", -21, 0, thresholds);

        // When the punctuator visits the freezer every minute of wall clock for half an hour without a reading
        for (int minute = 1; minute <= 30; minute++) {
            events.addAll(engine.onWake(state, thresholds, START + minute * MINUTE));
        }

        // Then one absence alert
        assertThat(fired("freezer-silent")).hasSize(1);
    }

    private void measure(String metric, double value, int minute, Map<String, Double> thresholds) {
        long at = START + minute * MINUTE;
        RuleEngine.Result result = engine.onMeasurement(state, metric, value, at, thresholds, at);
        assertThat(result.intake()).isEqualTo(RuleEngine.Intake.ACCEPTED);
        events.addAll(result.events());
    }

    private List<RuleEngine.RuleEvent> fired(String rule) {
        return events.stream()
                .filter(event -> event.rule().name().equals(rule) && event.transition() == RuleEngine.Transition.FIRED)
                .toList();
    }

    /** A device's thresholds from the example's devices.json (one Device record as JSON per line). */
    private static Map<String, Double> thresholds(String deviceId) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(BOT.resolve("devices.json"))) {
            JsonNode device = json.readTree(line);
            if (device.path("deviceId").asText().equals(deviceId)) {
                Map<String, Double> thresholds = new HashMap<>();
                device.path("thresholds").fields().forEachRemaining(entry -> thresholds.put(entry.getKey(), entry.getValue().asDouble()));
                return thresholds;
            }
        }
        throw new AssertionError("no device " + deviceId + " in devices.json");
    }
}
