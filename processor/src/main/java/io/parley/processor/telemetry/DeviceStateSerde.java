package io.parley.processor.telemetry;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary form of {@link DeviceState} in the {@code telemetry-rules} store and its changelog. It is read and
 * written once per measurement, so it is a compact hand-written format rather than Avro, encoded straight into a
 * byte array (no streams): version 2 writes, per rule, a byte of flags saying which of its times and values are
 * set and only those, so a rule that uses two of its eight fields costs two. The first byte is the version; a
 * later format can still read this one, and this one still reads version 1.
 */
public final class DeviceStateSerde implements Serde<DeviceState> {

    static final byte VERSION_1 = 1;
    static final byte VERSION = 2;

    private static final int FIRED = 1;
    private static final int FALSE_SINCE = 1 << 1;
    private static final int TRUE_SINCE = 1 << 2;
    private static final int LAST = 1 << 3;
    private static final int LAST_SEEN = 1 << 4;
    private static final int ABSENCE_DUE = 1 << 5;
    private static final int ABSENCE_INDEXED = 1 << 6;
    private static final int MUTED_UNTIL = 1 << 7;

    @Override
    public Serializer<DeviceState> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<DeviceState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(DeviceState state) {
        Writer out = new Writer(32 + 40 * state.rules.size() + 24 * state.pending.size());
        out.writeByte(VERSION);
        out.writeLong(state.maxEventTime);
        out.writeLong(state.wakeAt);
        out.writeCount(state.releasedUpTo.size());
        for (Map.Entry<String, Long> released : state.releasedUpTo.entrySet()) {
            out.writeString(released.getKey());
            out.writeLong(released.getValue());
        }
        out.writeCount(state.pending.size());
        for (Map.Entry<DeviceState.SampleKey, Double> sample : state.pending.entrySet()) {
            out.writeLong(sample.getKey().eventTime());
            out.writeString(sample.getKey().metric());
            out.writeDouble(sample.getValue());
        }
        out.writeCount(state.rules.size());
        for (Map.Entry<String, DeviceState.RuleState> entry : state.rules.entrySet()) {
            DeviceState.RuleState rule = entry.getValue();
            out.writeString(entry.getKey());
            int flags = (rule.fired ? FIRED : 0)
                    | flag(rule.falseSince, FALSE_SINCE) | flag(rule.trueSince, TRUE_SINCE) | flag(rule.lastTime, LAST)
                    | flag(rule.lastSeen, LAST_SEEN) | flag(rule.absenceDue, ABSENCE_DUE)
                    | flag(rule.absenceIndexed, ABSENCE_INDEXED) | flag(rule.mutedUntil, MUTED_UNTIL);
            out.writeByte(flags);
            writeIf(out, flags, FALSE_SINCE, rule.falseSince);
            writeIf(out, flags, TRUE_SINCE, rule.trueSince);
            if ((flags & LAST) != 0) {
                out.writeLong(rule.lastTime);
                out.writeDouble(rule.lastValue);
            }
            writeIf(out, flags, LAST_SEEN, rule.lastSeen);
            writeIf(out, flags, ABSENCE_DUE, rule.absenceDue);
            writeIf(out, flags, ABSENCE_INDEXED, rule.absenceIndexed);
            writeIf(out, flags, MUTED_UNTIL, rule.mutedUntil);
            out.writeCount(rule.windows.size());
            for (Map.Entry<Long, DeviceState.Window> window : rule.windows.entrySet()) {
                out.writeLong(window.getKey());
                out.writeLong(window.getValue().count);
                out.writeDouble(window.getValue().sum);
                out.writeDouble(window.getValue().min);
                out.writeDouble(window.getValue().max);
            }
        }
        return out.bytes();
    }

    private static int flag(long time, int flag) {
        return time == DeviceState.NONE ? 0 : flag;
    }

    private static void writeIf(Writer out, int flags, int flag, long value) {
        if ((flags & flag) != 0) {
            out.writeLong(value);
        }
    }

    private static long readIf(Reader in, int flags, int flag) {
        return (flags & flag) != 0 ? in.readLong() : DeviceState.NONE;
    }

    static DeviceState read(byte[] bytes) {
        if (bytes.length == 0) {
            throw new SerializationException("telemetry rule state is empty");
        }
        if (bytes[0] == VERSION_1) {
            return readVersion1(bytes);
        }
        if (bytes[0] != VERSION) {
            throw new SerializationException("telemetry rule state of an unknown format version " + bytes[0]);
        }
        try {
            Reader in = new Reader(bytes, 1);
            DeviceState state = new DeviceState();
            state.maxEventTime = in.readLong();
            state.wakeAt = in.readLong();
            int metrics = in.readCount();
            for (int i = 0; i < metrics; i++) {
                state.releasedUpTo.put(in.readString(), in.readLong());
            }
            int pending = in.readCount();
            for (int i = 0; i < pending; i++) {
                long time = in.readLong();
                String metric = in.readString();
                state.pending.put(new DeviceState.SampleKey(time, metric), in.readDouble());
            }
            int rules = in.readCount();
            for (int i = 0; i < rules; i++) {
                DeviceState.RuleState rule = state.rule(in.readString());
                int flags = in.readByte() & 0xff;
                rule.fired = (flags & FIRED) != 0;
                rule.falseSince = readIf(in, flags, FALSE_SINCE);
                rule.trueSince = readIf(in, flags, TRUE_SINCE);
                if ((flags & LAST) != 0) {
                    rule.lastTime = in.readLong();
                    rule.lastValue = in.readDouble();
                }
                rule.lastSeen = readIf(in, flags, LAST_SEEN);
                rule.absenceDue = readIf(in, flags, ABSENCE_DUE);
                rule.absenceIndexed = readIf(in, flags, ABSENCE_INDEXED);
                rule.mutedUntil = readIf(in, flags, MUTED_UNTIL);
                int windows = in.readCount();
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
            if (in.position != bytes.length) {
                throw new SerializationException("telemetry rule state has " + (bytes.length - in.position) + " bytes too many");
            }
            return state;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new SerializationException("telemetry rule state is truncated or corrupt", e);
        }
    }

    /** Big-endian fields into a growing array. */
    private static final class Writer {
        private byte[] buffer;
        private int position;

        Writer(int capacity) {
            buffer = new byte[capacity];
        }

        private void ensure(int more) {
            if (position + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
            }
        }

        void writeByte(int value) {
            ensure(1);
            buffer[position++] = (byte) value;
        }

        void writeLong(long value) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[position++] = (byte) (value >>> shift);
            }
        }

        void writeDouble(double value) {
            writeLong(Double.doubleToRawLongBits(value));
        }

        /** A count or a length: one byte below 128, else two (at most 32,767). */
        void writeCount(int count) {
            if (count < 0x80) {
                writeByte(count);
            } else if (count <= 0x7fff) {
                writeByte(0x80 | (count >>> 8));
                writeByte(count & 0xff);
            } else {
                throw new IllegalArgumentException("telemetry rule state: " + count + " entries or bytes, at most 32767");
            }
        }

        void writeString(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            writeCount(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buffer, position, utf8.length);
            position += utf8.length;
        }

        byte[] bytes() {
            return position == buffer.length ? buffer : Arrays.copyOf(buffer, position);
        }
    }

    /** Reads what {@link Writer} wrote; runs past the end with an {@link IndexOutOfBoundsException}. */
    private static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes, int position) {
            this.bytes = bytes;
            this.position = position;
        }

        byte readByte() {
            return bytes[position++];
        }

        long readLong() {
            Objects.checkFromIndexSize(position, 8, bytes.length);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (bytes[position++] & 0xffL);
            }
            return value;
        }

        double readDouble() {
            return Double.longBitsToDouble(readLong());
        }

        int readCount() {
            int first = readByte() & 0xff;
            return first < 0x80 ? first : ((first & 0x7f) << 8) | (readByte() & 0xff);
        }

        String readString() {
            int length = readCount();
            Objects.checkFromIndexSize(position, length, bytes.length);
            String text = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return text;
        }
    }

    /** The first format (every field of every rule, DataOutputStream): still read, no longer written. */
    static DeviceState readVersion1(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION_1) {
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
