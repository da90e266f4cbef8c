package io.parley.bench.websocket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The few fields the load generator needs from a gateway frame ({@code type}, {@code clientId},
 * {@code eventId} or {@code inReplyTo}, and an error's {@code code}), read with Jackson's streaming
 * parser into buffers this object keeps and reuses: no JSON tree and no string per frame. One per
 * thread; not thread-safe.
 */
final class FrameFields {

    private static final JsonFactory JSON = new JsonFactory();

    /** The frame types the gateway sends (see the gateway's {@code Frames}). */
    enum Kind { READY, ACK, REPLY, ERROR, OTHER }

    private byte[] bytes = new byte[1024];
    private int length;
    private final char[] type = new char[16];
    private int typeLength;
    private char[] id = new char[64];
    private int idLength;
    private long clientId;
    private String errorCode;

    /** Copies a frame's payload into this object's buffer and reads it; false when it is not a JSON object. */
    boolean read(ByteBuffer payload) {
        int n = payload.remaining();
        ensure(n);
        payload.get(payload.position(), bytes, 0, n);
        length = n;
        return parse();
    }

    /** Reads an already assembled frame (a fragmented message). */
    boolean read(byte[] frame, int n) {
        ensure(n);
        System.arraycopy(frame, 0, bytes, 0, n);
        length = n;
        return parse();
    }

    private void ensure(int n) {
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
    }

    private boolean parse() {
        typeLength = 0;
        idLength = 0;
        clientId = -1;
        errorCode = null;
        try (JsonParser parser = JSON.createParser(bytes, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                } else if (value == JsonToken.VALUE_STRING) {
                    switch (name) {
                        case "type" -> typeLength = copy(parser, type, type.length);
                        case "eventId", "inReplyTo" -> {
                            if (parser.getTextLength() > id.length) {
                                id = new char[parser.getTextLength()];
                            }
                            idLength = copy(parser, id, id.length);
                        }
                        case "clientId" -> clientId = digits(parser);
                        case "code" -> errorCode = parser.getText();
                        default -> { }
                    }
                }
            }
            return token == JsonToken.END_OBJECT;
        } catch (IOException e) {
            return false;
        }
    }

    private static int copy(JsonParser parser, char[] into, int max) throws IOException {
        int n = parser.getTextLength();
        if (n > max) {
            return 0;
        }
        System.arraycopy(parser.getTextCharacters(), parser.getTextOffset(), into, 0, n);
        return n;
    }

    /** A client id the load generator wrote: the message's number in decimal; -1 for anything else. */
    private static long digits(JsonParser parser) throws IOException {
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int n = parser.getTextLength();
        if (n == 0 || n > 18) {
            return -1;
        }
        long value = 0;
        for (int i = offset; i < offset + n; i++) {
            char c = chars[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    Kind kind() {
        if (is("ack")) {
            return Kind.ACK;
        }
        if (is("reply")) {
            return Kind.REPLY;
        }
        if (is("ready")) {
            return Kind.READY;
        }
        if (is("error")) {
            return Kind.ERROR;
        }
        return Kind.OTHER;
    }

    private boolean is(String name) {
        if (typeLength != name.length()) {
            return false;
        }
        for (int i = 0; i < typeLength; i++) {
            if (type[i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The message number of {@code clientId}, -1 when absent or not a number. */
    long clientId() {
        return clientId;
    }

    /** Whether the frame carries an event id ({@code eventId} of an ack, {@code inReplyTo} of a reply). */
    boolean hasId() {
        return idLength > 0;
    }

    /** Whether the frame's event id equals {@code eventId}, compared without making a string. */
    boolean idEquals(String eventId) {
        if (eventId == null || eventId.length() != idLength) {
            return false;
        }
        for (int i = idLength - 1; i >= 0; i--) {
            if (id[i] != eventId.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The frame's event id as a string: made once per message, when its ack arrives. */
    String id() {
        return new String(id, 0, idLength);
    }

    /** An error frame's code ("unknown" when it has none). */
    String errorCode() {
        return errorCode == null ? "unknown" : errorCode;
    }

    @Override
    public String toString() {
        return "FrameFields[" + new String(type, 0, typeLength) + ", clientId " + clientId + ", id "
                + new String(Arrays.copyOf(id, idLength)) + "]";
    }
}
