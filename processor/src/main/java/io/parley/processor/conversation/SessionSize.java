package io.parley.processor.conversation;

import io.parley.schemas.state.Session;
import java.io.IOException;
import java.io.UncheckedIOException;

/** How many bytes a session takes as a record value (Avro binary, plus the registry framing's 5 bytes). */
final class SessionSize {

    /** The registry wire format's magic byte and schema id. */
    private static final int FRAMING = 5;

    private SessionSize() {
    }

    static int bytes(Session session) {
        try {
            // Single-object encoding: Avro binary behind a 10-byte header, a little more than the framing's 5.
            return session.toByteBuffer().remaining() - 10 + FRAMING;
        } catch (IOException e) {
            throw new UncheckedIOException("a session could not be encoded to measure it", e);
        }
    }
}
