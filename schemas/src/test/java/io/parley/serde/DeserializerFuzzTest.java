package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.parley.schemas.ChatEvent;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Random and adversarial bytes on a topic: the deserializer returns a record or throws a
 * {@link SerializationException}, quickly, and never lets a forged length make it allocate more
 * than the record could hold.
 */
class DeserializerFuzzTest {

    private static final String SCOPE = "fuzz-" + UUID.randomUUID();
    private static final AvroSerde<ChatEvent> SERDE =
            AvroSerde.of(ChatEvent.class, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE), false);
    private static final byte[] VALID = SERDE.serializer().serialize("chat.events", SampleRecords.chatEvent());

    @AfterContainer
    static void dropRegistry() {
        SERDE.close();
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @Property(tries = 2000)
    void randomBytesAreARecordOrASerializationException(@ForAll("payloads") byte[] payload) {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                assertThat(SERDE.deserializer().deserialize("chat.events", payload)).isNotNull();
            } catch (SerializationException expected) {
                assertThat(expected.getMessage()).contains("chat.events");
            }
        });
    }

    @Property(tries = 300)
    void aForgedLengthDoesNotMakeTheReaderAllocateWhatTheRecordCannotHold(@ForAll("hugeLengths") long claimed,
                                                                           @ForAll("fieldPositions") int position) {
        // A valid record whose length prefix at that position is replaced by one far beyond the record
        byte[] forged = forgeLength(position, claimed);
        long before = allocatedBytes();

        assertThatThrownBy(() -> SERDE.deserializer().deserialize("chat.events", forged))
                .isInstanceOf(SerializationException.class);

        assertThat(allocatedBytes() - before).isLessThan(64L * 1024 * 1024);
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> framedRandom = Arbitraries.bytes().array(byte[].class).ofMaxSize(200)
                .map(body -> concat(Arrays.copyOf(VALID, 5), body));
        Arbitrary<byte[]> mutated = Arbitraries.integers().between(0, VALID.length - 1)
                .flatMap(index -> Arbitraries.bytes().map(value -> {
                    byte[] copy = VALID.clone();
                    copy[index] = value;
                    return copy;
                }));
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, VALID.length).map(length -> Arrays.copyOf(VALID, length));
        return Arbitraries.oneOf(random, framedRandom, mutated, truncated);
    }

    @Provide
    Arbitrary<Long> hugeLengths() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1L << 24, Integer.MAX_VALUE - 16L),
                Arbitraries.of(Integer.MAX_VALUE - 8L, (long) Integer.MAX_VALUE, 1L << 40, Long.MAX_VALUE / 4));
    }

    @Provide
    Arbitrary<Integer> fieldPositions() {
        // Where a length is read: the first string (eventId, after the 5-byte header) and the second (conversationId)
        return Arbitraries.of(5, 5 + 1 + "evt-1".length());
    }

    private static byte[] forgeLength(int position, long claimed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VALID, 0, position);
        long zigzag = (claimed << 1) ^ (claimed >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
        // The original length there is one byte (short strings): skip it
        out.write(VALID, position + 1, VALID.length - position - 1);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

}
