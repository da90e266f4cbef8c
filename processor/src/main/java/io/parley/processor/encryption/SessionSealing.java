package io.parley.processor.encryption;

import io.parley.schemas.state.Session;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;

/** What the {@code sessions} store does with the personal parts of its values: keep them in clear, or seal them. */
public final class SessionSealing {

    private final KeyRing keys;

    private SessionSealing(KeyRing keys) {
        this.keys = keys;
    }

    /**
     * No keys: values are written in clear. A sealed value met then (encryption turned off and its
     * keys removed too early) stops the processor with a message naming the missing key, rather than
     * being read as a session without its personal parts.
     */
    public static SessionSealing off() {
        return new SessionSealing(new KeyRing(Optional.empty(), Map.of()));
    }

    /** Values are opened with any key of the ring and, when it has a current key, sealed with it. */
    public static SessionSealing with(KeyRing keys) {
        return new SessionSealing(keys);
    }

    /** Whether new values are sealed. */
    public boolean sealsNewValues() {
        return keys.current().isPresent();
    }

    /** The serde of the sessions store: {@code avro} with sealing (or, when off, the check for sealed values) around it. */
    public Serde<Session> wrap(Serde<Session> avro) {
        return new SealingSessionSerde(avro, new Envelope(keys, new SecureRandom()));
    }
}
