package io.parley.processor.encryption;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.AuditStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.serde.AvroSerde;
import io.parley.serde.AvroSerdeConfig;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sessions store's serde with encryption at rest: what is sealed, what stays readable, rotation and refusals. */
class SessionSealingTest {

    private static final String TOPIC = "parley-processor-sessions-changelog";
    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");
    private static final List<String> PERSONAL = List.of("alice-7f3e", "Alice Liddell", "alice@example.org", "4111111111111111",
            "DE44500105175407324931", "Rabbit Hole 1, Oxford", "where is order 4711-rabbit", "audit text of the waiting turn");

    private final String scope = "sealing-" + UUID.randomUUID();
    private final Serde<Session> avro = AvroSerde.of(Session.class, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);
    private final byte[] keyA = randomKey();
    private final byte[] keyB = randomKey();

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void aSealedSessionReadsBackWhole() {
        Serde<Session> serde = sealing(Optional.of("a"), Map.of("a", keyA));
        Session session = personalSession();

        Session read = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, session));

        assertThat(read).isEqualTo(session);
    }

    @Test
    void noPersonalValueIsInTheSealedBytes() {
        // Given encryption on, When a session with personal values is written
        byte[] sealed = sealing(Optional.of("a"), Map.of("a", keyA)).serializer().serialize(TOPIC, personalSession());
        // and, for contrast, the same session without encryption
        byte[] clear = avro.serializer().serialize(TOPIC, personalSession());

        // Then none of them can be found in the sealed bytes, and all of them in the clear ones
        String sealedText = new String(sealed, StandardCharsets.ISO_8859_1);
        String clearText = new String(clear, StandardCharsets.ISO_8859_1);
        assertThat(PERSONAL).allSatisfy(value -> assertThat(clearText).contains(value));
        assertThat(PERSONAL).noneSatisfy(value -> assertThat(sealedText).contains(value));
        // while what an operator needs to see stays in clear
        assertThat(avro.deserializer().deserialize(TOPIC, sealed)).satisfies(stored -> {
            assertThat(stored.getConversationId()).isEqualTo("conv-1");
            assertThat(stored.getTurn().getIntent()).isEqualTo("order_status");
            assertThat(stored.getTurn().getPending()).hasSize(1);
            assertThat(stored.getSealed().getKeyId()).isEqualTo("a");
        });
    }

    @Test
    void valuesSealedWithAnOldKeyStayReadableAndNewValuesUseTheNewKey() {
        // Given a value sealed with key A
        byte[] underA = sealing(Optional.of("a"), Map.of("a", keyA)).serializer().serialize(TOPIC, personalSession());

        // When B becomes current and A is kept decrypt-only
        Serde<Session> rotated = sealing(Optional.of("b"), Map.of("a", keyA, "b", keyB));

        // Then the old value is read, and writing it again seals it with B
        Session read = rotated.deserializer().deserialize(TOPIC, underA);
        assertThat(read).isEqualTo(personalSession());
        byte[] rewritten = rotated.serializer().serialize(TOPIC, read);
        assertThat(avro.deserializer().deserialize(TOPIC, rewritten).getSealed().getKeyId()).isEqualTo("b");
        // and B alone opens it
        assertThat(sealing(Optional.empty(), Map.of("b", keyB)).deserializer().deserialize(TOPIC, rewritten)).isEqualTo(personalSession());
    }

    @Test
    void aValueSealedWithAKeyNoLongerConfiguredIsRefusedNamingTheKey() {
        byte[] underA = sealing(Optional.of("a"), Map.of("a", keyA)).serializer().serialize(TOPIC, personalSession());

        assertThatThrownBy(() -> sealing(Optional.of("b"), Map.of("b", keyB)).deserializer().deserialize(TOPIC, underA))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("sealed with key 'a', which is not configured")
                .hasMessageContaining("conv-1");
        assertThatThrownBy(() -> SessionSealing.off().wrap(avro).deserializer().deserialize(TOPIC, underA))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("sealed with key 'a', which is not configured");
    }

    @Test
    void aKeyWithTheRightIdButOtherBytesIsRefused() {
        byte[] underA = sealing(Optional.of("a"), Map.of("a", keyA)).serializer().serialize(TOPIC, personalSession());

        assertThatThrownBy(() -> sealing(Optional.empty(), Map.of("a", keyB)).deserializer().deserialize(TOPIC, underA))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("could not be opened with key 'a'")
                .message().satisfies(message -> assertThat(PERSONAL).noneSatisfy(value -> assertThat(message).contains(value)));
    }

    @Test
    void sealedPartsMovedToAnotherConversationAreRefused() {
        // Given a sealed value of conv-1 whose clear part is edited to claim conv-2
        Serde<Session> serde = sealing(Optional.of("a"), Map.of("a", keyA));
        Session stored = avro.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, personalSession()));
        stored.setConversationId("conv-2");
        byte[] moved = avro.serializer().serialize(TOPIC, stored);

        // Then it does not open: the conversation id is authenticated with the sealed parts
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, moved))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("could not be opened");
    }

    @Test
    void aTamperedCiphertextIsRefused() {
        Serde<Session> serde = sealing(Optional.of("a"), Map.of("a", keyA));
        Session stored = avro.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, personalSession()));
        byte[] ciphertext = stored.getSealed().getCiphertext().array().clone();
        ciphertext[ciphertext.length / 2] ^= 1;
        stored.getSealed().setCiphertext(java.nio.ByteBuffer.wrap(ciphertext));

        byte[] tampered = avro.serializer().serialize(TOPIC, stored);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, tampered)).isInstanceOf(SealingException.class);
    }

    @Test
    void clearValuesFromBeforeEncryptionAreReadAndSealedWhenWrittenAgain() {
        byte[] clear = avro.serializer().serialize(TOPIC, personalSession());
        Serde<Session> serde = sealing(Optional.of("a"), Map.of("a", keyA));

        Session read = serde.deserializer().deserialize(TOPIC, clear);

        assertThat(read).isEqualTo(personalSession());
        assertThat(avro.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, read)).getSealed()).isNotNull();
    }

    @Test
    void withKeysButNoCurrentKeySealedValuesAreReadAndNewOnesWrittenInClear() {
        byte[] underA = sealing(Optional.of("a"), Map.of("a", keyA)).serializer().serialize(TOPIC, personalSession());
        Serde<Session> turningOff = sealing(Optional.empty(), Map.of("a", keyA));

        Session read = turningOff.deserializer().deserialize(TOPIC, underA);
        byte[] written = turningOff.serializer().serialize(TOPIC, read);

        assertThat(read).isEqualTo(personalSession());
        assertThat(avro.deserializer().deserialize(TOPIC, written)).isEqualTo(personalSession());
    }

    @Test
    void aSessionWithoutATurnIsSealedToo() {
        Serde<Session> serde = sealing(Optional.of("a"), Map.of("a", keyA));
        Session idle = Session.newBuilder(personalSession()).setTurn(null).setLateTurns(List.of()).build();

        assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, idle))).isEqualTo(idle);
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    private Serde<Session> sealing(Optional<String> current, Map<String, byte[]> keys) {
        return SessionSealing.with(new KeyRing(current, keys)).wrap(avro);
    }

    private static Session personalSession() {
        Turn turn = Turn.newBuilder()
                .setEventId("evt-2").setIntent("order_status").setText("where is order 4711-rabbit")
                .setSlots(Map.of("orderId", "4711-rabbit", "card", "4111111111111111"))
                .setResults(Map.of("customer", "{\"email\":\"alice@example.org\",\"iban\":\"DE44500105175407324931\"}"))
                .setFailures(Map.of("stock", "TIMEOUT"))
                .setPending(List.of(PendingCall.newBuilder().setRequestId("evt-2:0:0").setCall("order").setConnector("shop-api")
                        .setOperation("getOrder").setStep(0).setDeadline(AT.plusSeconds(8)).setIssuedAt(AT).build()))
                .setStartedAt(AT).build();
        Turn late = Turn.newBuilder().setEventId("evt-1").setIntent("address")
                .setSlots(Map.of("street", "Rabbit Hole 1, Oxford")).setStartedAt(AT.minusSeconds(30)).build();
        return Session.newBuilder()
                .setConversationId("conv-1").setUserId("alice-7f3e").setChannel("web").setLocale("en-GB")
                .setProfile(Map.of("name", "Alice Liddell"))
                .setTurn(turn).setLateTurns(List.of(late))
                .setStartedAt(AT.minusSeconds(60)).setLastActiveAt(AT)
                // audit.mode turn: the steps of the waiting turn, with its (redacted) message text
                .setPendingAudit(AuditEvent.newBuilder().setAuditId("evt-2/inbound/turn").setConversationId("conv-1")
                        .setUserRef("alice-7f3e").setKind(AuditKind.TURN).setOccurredAt(AT)
                        .setSteps(List.of(AuditStep.newBuilder().setAuditId("evt-2/inbound").setKind(AuditKind.INBOUND)
                                .setOccurredAt(AT).setText("audit text of the waiting turn").build()))
                        .build())
                .build();
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
