package io.parley.bench.websocket;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients saw of every message, in columns sized once for the whole sending (no object
 * per message but its event id): slot {@code k} is the sender's {@code k}-th send, made by
 * connection {@code k mod n}. A slot's fields are written under its connection's monitor.
 */
final class MessageLog {

    static final int FILE_VERSION = 1;

    final int connections;
    final long[] sentNanos;
    final long[] sentWallMicros;
    final long[] ackNanos;
    final long[] replyNanos;
    final long[] replyWallMicros;
    final String[] eventId;
    final String[] refusedWith;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();

    MessageLog(int connections, int capacity) {
        this.connections = connections;
        this.sentNanos = filled(capacity);
        this.sentWallMicros = new long[capacity];
        this.ackNanos = filled(capacity);
        this.replyNanos = filled(capacity);
        this.replyWallMicros = new long[capacity];
        this.eventId = new String[capacity];
        this.refusedWith = new String[capacity];
    }

    private static long[] filled(int capacity) {
        long[] column = new long[capacity];
        java.util.Arrays.fill(column, -1);
        return column;
    }

    int capacity() {
        return sentNanos.length;
    }

    /** Slot {@code k} went out now. */
    void sent(int k, long nanos, long wallMicros) {
        sentNanos[k] = nanos;
        sentWallMicros[k] = wallMicros;
        sent.incrementAndGet();
    }

    /** The reply to slot {@code k} arrived; false when it already had one. */
    boolean replied(int k, long nanos, long wallMicros) {
        if (replyNanos[k] >= 0) {
            return false;
        }
        replyNanos[k] = nanos;
        replyWallMicros[k] = wallMicros;
        if (refusedWith[k] == null) {
            answered.incrementAndGet();
        }
        return true;
    }

    /** Slot {@code k} was refused with an error frame. */
    void refused(int k, String code) {
        if (refusedWith[k] == null && replyNanos[k] < 0) {
            answered.incrementAndGet();
        }
        refusedWith[k] = code;
    }

    long sent() {
        return sent.get();
    }

    /** Sent, neither answered nor refused. */
    long outstanding() {
        return sent.get() - answered.get();
    }

    /** Slot {@code k} as a record; the caller holds its connection's monitor. */
    MessageTimes times(int k) {
        return new MessageTimes(k % connections, sentNanos[k], sentWallMicros[k], Optional.ofNullable(eventId[k]),
                ackNanos[k] < 0 ? OptionalLong.empty() : OptionalLong.of(ackNanos[k]),
                replyNanos[k] < 0 ? OptionalLong.empty() : OptionalLong.of(replyNanos[k]), Math.max(0, replyWallMicros[k]),
                Optional.ofNullable(refusedWith[k]));
    }

    /** Writes one message's times, as {@link #readAll} reads them. */
    static void write(DataOutputStream out, MessageTimes m) throws IOException {
        out.writeInt(m.connection());
        out.writeLong(m.sentNanos());
        out.writeLong(m.sentWallMicros());
        out.writeUTF(m.eventId().orElse(""));
        out.writeLong(m.ackNanos().orElse(-1));
        out.writeLong(m.replyNanos().orElse(-1));
        out.writeLong(m.replyWallMicros());
        out.writeUTF(m.refusedWith().orElse(""));
    }

    /** Reads {@code count} messages written by {@link #write}. */
    static List<MessageTimes> readAll(DataInputStream in, long count) throws IOException {
        List<MessageTimes> all = new ArrayList<>((int) Math.min(count, Integer.MAX_VALUE));
        for (long i = 0; i < count; i++) {
            int connection = in.readInt();
            long sentNanos = in.readLong();
            long sentWall = in.readLong();
            String eventId = in.readUTF();
            long ack = in.readLong();
            long reply = in.readLong();
            long replyWall = in.readLong();
            String refused = in.readUTF();
            all.add(new MessageTimes(connection, sentNanos, sentWall, eventId.isEmpty() ? Optional.empty() : Optional.of(eventId),
                    ack < 0 ? OptionalLong.empty() : OptionalLong.of(ack), reply < 0 ? OptionalLong.empty() : OptionalLong.of(reply),
                    replyWall, refused.isEmpty() ? Optional.empty() : Optional.of(refused)));
        }
        return all;
    }
}
