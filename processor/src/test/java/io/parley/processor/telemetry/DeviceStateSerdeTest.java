package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.flow.FlowSource;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The store format of a device's rule state: version 2 written and read, version 1 (before S8's cuts) still read. */
class DeviceStateSerdeTest {

    private static final long MINUTE = 60_000;
    private final RuleEngine engine = new RuleEngine(RuleLoader.load(FlowSource.classpath("telemetry/s8-rules.yaml")));
    private final RuleEngine testRules = new RuleEngine(RuleLoader.load(FlowSource.classpath("telemetry/test-rules.yaml")));

    @Test
    void aStateWithEveryKindOfRuleRoundTrips() {
        // Given a device the ten S8 rules have seen for a while (windows open, a rate, an absence due), muted, with
        // measurements of another rule book held back
        DeviceState state = busyState();

        // When it goes through the store format
        byte[] bytes = DeviceStateSerde.write(state);
        DeviceState copy = DeviceStateSerde.read(bytes);

        // Then it is the same state
        assertThat(bytes[0]).isEqualTo(DeviceStateSerde.VERSION);
        assertThat(DeviceStateSerde.write(copy)).isEqualTo(bytes);
        assertThat(copy.deadlines("d")).isEqualTo(state.deadlines("d")).isNotEmpty();
        assertThat(copy.pending).isEqualTo(state.pending).isNotEmpty();
        assertThat(copy.releasedUpTo).isEqualTo(state.releasedUpTo);
        assertThat(copy.rules.keySet()).isEqualTo(state.rules.keySet());
        assertThat(copy.rule("max-5m").windows).hasSameSizeAs(state.rule("max-5m").windows).isNotEmpty();
        assertThat(copy.rule("rising").lastValue).isEqualTo(state.rule("rising").lastValue);
        assertThat(copy.rule("probe").fired).isTrue();
        assertThat(copy.rule("probe").mutedUntil).isEqualTo(5);
    }

    @Test
    void theSameInputGivesTheSameTransitionsAfterARoundTripAsWithout() {
        DeviceState kept = new DeviceState();
        DeviceState stored = new DeviceState();
        for (int i = 0; i < 200; i++) {
            double value = i % 37 == 0 ? 60 : -19 + (i % 7) * 0.1;
            var direct = engine.onMeasurement(kept, "temperature", value, i * 10_000L, Map.of(), 0).events();
            var viaStore = engine.onMeasurement(stored, "temperature", value, i * 10_000L, Map.of(), 0).events();
            stored = DeviceStateSerde.read(DeviceStateSerde.write(stored));
            assertThat(viaStore).isEqualTo(direct);
        }
        assertThat(DeviceStateSerde.write(stored)).isEqualTo(DeviceStateSerde.write(kept));
    }

    @Test
    void itIsSmallerThanTheFirstFormat() {
        DeviceState state = busyState();

        assertThat(DeviceStateSerde.write(state).length).isLessThan(version1(state).length * 2 / 3);
    }

    @Test
    void aStateWrittenInTheFirstFormatIsStillRead() {
        DeviceState state = busyState();

        DeviceState copy = DeviceStateSerde.read(version1(state));

        assertThat(DeviceStateSerde.write(copy)).isEqualTo(DeviceStateSerde.write(state));
    }

    @Test
    void truncatedOrUnknownBytesAreRefusedWithAReason() {
        byte[] bytes = DeviceStateSerde.write(busyState());

        assertThatThrownBy(() -> DeviceStateSerde.read(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("truncated or corrupt");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> DeviceStateSerde.read(longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("1 bytes too many");
        assertThatThrownBy(() -> DeviceStateSerde.read(new byte[] {9, 0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown format version 9");
        assertThatThrownBy(() -> DeviceStateSerde.read(new byte[0]))
                .isInstanceOf(SerializationException.class).hasMessageContaining("empty");
    }

    private DeviceState busyState() {
        DeviceState state = new DeviceState();
        for (int i = 0; i < 30; i++) {
            engine.onMeasurement(state, "temperature", i == 29 ? 60 : -19 + (i % 7) * 0.1, i * 10_000L, Map.of(), 0);
        }
        engine.mute(state, "probe", 5);
        // measurements another rule book holds back for its grace period
        testRules.onMeasurement(state, "humidity", 90, 10 * MINUTE, Map.of(), 0);
        testRules.onMeasurement(state, "pressure", 3, 10 * MINUTE + 1, Map.of(), 0);
        return state;
    }

    /** The first format, as DeviceStateSerde wrote it before version 2. */
    private static byte[] version1(DeviceState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(state.maxEventTime);
            out.writeInt(state.releasedUpTo.size());
            for (Map.Entry<String, Long> released : state.releasedUpTo.entrySet()) {
                out.writeUTF(released.getKey());
                out.writeLong(released.getValue());
            }
            out.writeLong(state.wakeAt);
            out.writeInt(state.pending.size());
            for (Map.Entry<DeviceState.SampleKey, Double> sample : state.pending.entrySet()) {
                out.writeLong(sample.getKey().eventTime());
                out.writeUTF(sample.getKey().metric());
                out.writeDouble(sample.getValue());
            }
            out.writeInt(state.rules.size());
            for (Map.Entry<String, DeviceState.RuleState> entry : state.rules.entrySet()) {
                DeviceState.RuleState rule = entry.getValue();
                out.writeUTF(entry.getKey());
                out.writeBoolean(rule.fired);
                out.writeLong(rule.falseSince);
                out.writeLong(rule.trueSince);
                out.writeLong(rule.lastTime);
                out.writeDouble(rule.lastValue);
                out.writeLong(rule.lastSeen);
                out.writeLong(rule.absenceDue);
                out.writeLong(rule.absenceIndexed);
                out.writeLong(rule.mutedUntil);
                out.writeInt(rule.windows.size());
                for (Map.Entry<Long, DeviceState.Window> window : rule.windows.entrySet()) {
                    out.writeLong(window.getKey());
                    out.writeLong(window.getValue().count);
                    out.writeDouble(window.getValue().sum);
                    out.writeDouble(window.getValue().min);
                    out.writeDouble(window.getValue().max);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
