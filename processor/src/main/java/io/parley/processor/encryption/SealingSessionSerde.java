package io.parley.processor.encryption;

import io.parley.schemas.state.SealedParts;
import io.parley.schemas.state.Session;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The sessions store's serde with encryption at rest. The sealed plaintext is itself a
 * {@link Session} (holding only the personal parts) in the registry wire format, written by the
 * same Avro serde: it carries its schema id, so the sealed parts evolve with the Session schema
 * like everything else in the value.
 */
final class SealingSessionSerde implements Serde<Session> {

    private final Serde<Session> avro;
    private final Envelope envelope;

    SealingSessionSerde(Serde<Session> avro, Envelope envelope) {
        this.avro = avro;
        this.envelope = envelope;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        avro.configure(configs, isKey);
    }

    @Override
    public Serializer<Session> serializer() {
        Serializer<Session> inner = avro.serializer();
        return (topic, session) -> {
            if (session == null || !envelope.sealing()) {
                return inner.serialize(topic, session);
            }
            byte[] plain = inner.serialize(topic, SensitiveParts.secrets(session));
            SealedParts sealed = envelope.seal(plain, session.getConversationId());
            Session clear = SensitiveParts.clear(session);
            clear.setSealed(sealed);
            return inner.serialize(topic, clear);
        };
    }

    @Override
    public Deserializer<Session> deserializer() {
        Deserializer<Session> inner = avro.deserializer();
        return (topic, bytes) -> {
            Session stored = inner.deserialize(topic, bytes);
            if (stored == null || stored.getSealed() == null) {
                return stored;
            }
            byte[] plain = envelope.open(stored.getSealed(), stored.getConversationId());
            return SensitiveParts.merge(stored, inner.deserialize(topic, plain));
        };
    }

    @Override
    public void close() {
        avro.close();
    }
}
