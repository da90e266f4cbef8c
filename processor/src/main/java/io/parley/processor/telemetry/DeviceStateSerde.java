package io.parley.processor.telemetry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary form of {@link DeviceState} in the {@code telemetry-rules} store and its changelog. It is read and
 * written once per measurement, so it is a compact hand-written format rather than Avro; the first byte is its
 * version, so a later format can still read this one.
 */
public final class DeviceStateSerde implements Serde<DeviceState> {

    static final byte VERSION = 1;

    @Override
    public Serializer<DeviceState> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<DeviceState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(DeviceState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 24 * state.pending.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
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
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static DeviceState read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("telemetry rule state of an unknown format version " + version);
            }
            DeviceState state = new DeviceState();
            state.maxEventTime = in.readLong();
            int metrics = in.readInt();
            for (int i = 0; i < metrics; i++) {
                state.releasedUpTo.put(in.readUTF(), in.readLong());
            }
            state.wakeAt = in.readLong();
            int pending = in.readInt();
            for (int i = 0; i < pending; i++) {
                long time = in.readLong();
                String metric = in.readUTF();
                state.pending.put(new DeviceState.SampleKey(time, metric), in.readDouble());
            }
            int rules = in.readInt();
            for (int i = 0; i < rules; i++) {
                DeviceState.RuleState rule = state.rule(in.readUTF());
                rule.fired = in.readBoolean();
                rule.falseSince = in.readLong();
                rule.trueSince = in.readLong();
                rule.lastTime = in.readLong();
                rule.lastValue = in.readDouble();
                rule.lastSeen = in.readLong();
                rule.absenceDue = in.readLong();
                rule.absenceIndexed = in.readLong();
                rule.mutedUntil = in.readLong();
                int windows = in.readInt();
                for (int w = 0; w < windows; w++) {
                    DeviceState.Window window = new DeviceState.Window();
                    long start = in.readLong();
                    window.count = in.readLong();
                    window.sum = in.readDouble();
                    window.min = in.readDouble();
                    window.max = in.readDouble();
                    rule.windows.put(start, window);
                }
            }
            return state;
        } catch (IOException e) {
            throw new SerializationException("telemetry rule state is truncated or corrupt", e);
        }
    }
}
