package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.FlowSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The functional core alone: state and input in, transitions out; and its state survives the store's format. */
class RuleEngineTest {

    private static final long MINUTE = 60_000;
    private final RuleEngine engine = new RuleEngine(RuleLoader.load(FlowSource.classpath("telemetry/test-rules.yaml")));

    @Test
    void aMutedRuleDoesNotAlertButCountsAsFiredUntilTheMuteEndsInEventTime() {
        // Given too-warm muted until minute 60 of event time
        DeviceState state = new DeviceState();
        long now = 100 * MINUTE;
        engine.mute(state, "too-warm", 60 * MINUTE);

        // When it becomes true during the mute, Then it is suppressed (and counts as fired)
        engine.onMeasurement(state, "temperature", -5, 0, Map.of(), now);
        List<RuleEngine.RuleEvent> events = engine.onMeasurement(state, "temperature", -5, 2 * MINUTE, Map.of(), now).events();
        assertThat(events).extracting(RuleEngine.RuleEvent::transition).containsExactly(RuleEngine.Transition.SUPPRESSED);

        // When it re-arms and becomes true again after the mute's end, Then it fires
        engine.onMeasurement(state, "temperature", -20, 63 * MINUTE, Map.of(), now);
        engine.onMeasurement(state, "temperature", -20, 69 * MINUTE, Map.of(), now);
        engine.onMeasurement(state, "temperature", -20, 70 * MINUTE, Map.of(), now);
        engine.onMeasurement(state, "temperature", -5, 71 * MINUTE, Map.of(), now);
        List<RuleEngine.RuleEvent> afterMute = engine.onWake(state, Map.of(), now + 2 * MINUTE);
        assertThat(afterMute).extracting(RuleEngine.RuleEvent::transition).containsExactly(RuleEngine.Transition.FIRED);
    }

    @Test
    void stateRoundTripsThroughTheStoreFormat() {
        DeviceState state = new DeviceState();
        engine.onMeasurement(state, "humidity", 90, 0, Map.of(), 0);
        engine.onMeasurement(state, "temperature", -5, MINUTE, Map.of(), 0);
        engine.onMeasurement(state, "heartbeat", 1, 2 * MINUTE, Map.of(), 0);
        engine.mute(state, null, 5);

        DeviceState copy = DeviceStateSerde.read(DeviceStateSerde.write(state));

        assertThat(DeviceStateSerde.write(copy)).isEqualTo(DeviceStateSerde.write(state));
        assertThat(copy.deadlines("d")).isEqualTo(state.deadlines("d"));
        assertThat(copy.pending).isEqualTo(state.pending);
    }

    @Test
    void measurementsOfMetricsNoRuleReadAreNotKept() {
        assertThat(engine.watches("temperature")).isTrue();
        assertThat(engine.watches("batteryLevel")).isFalse();
    }
}
