package io.parley.processor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.Notification;
import io.parley.schemas.NotificationPriority;
import io.parley.serde.AvroSerde;
import io.parley.serde.AvroSerdeConfig;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Response;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Random, bit-flipped and truncated bytes on each of the processor's input topics take the path
 * Kafka Streams takes with them: the topic's deserializer either returns a record or throws a
 * {@link SerializationException} (nothing else escapes), and the configured
 * {@link SkippingDeserializationHandler} then resumes the stream with exactly that record's bytes
 * on the dead-letter topic and counts it.
 */
class UnreadableInputFuzzTest {

    private static final String SCOPE = "fuzz-dlq-" + UUID.randomUUID();
    private static final Map<String, String> SERDE_CONFIG = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE);
    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");
    private static final List<Input<?>> INPUTS = List.of(
            input("chat.events", ChatEvent.class, ChatEvent.newBuilder().setEventId("evt-1").setConversationId("conv-1")
                    .setUserId("alice").setChannel("web").setType(ChatEventType.MESSAGE).setText("where is my order 1001")
                    .setPayload(Map.of("button", "orders")).setLocale("en-GB").setOccurredAt(AT).build()),
            input("backend.responses", BackendResponse.class, BackendResponse.newBuilder().setRequestId("evt-1:0:0")
                    .setConversationId("conv-1").setConnector("shop-api").setOperation("getOrder").setStatus(BackendStatus.OK)
                    .setResult("{\"status\":\"SHIPPED\"}").setError(null).setLatencyMs(42).setAttempts(1).setCompletedAt(AT).build()),
            input("notifications.requests", Notification.class, Notification.newBuilder().setNotificationId("n-1")
                    .setUserId("alice").setChannel(null).setText(null).setTemplate("Order {{orderId}} is out")
                    .setData(Map.of("orderId", "1001")).setPriority(NotificationPriority.HIGH)
                    .setExpiresAt(AT.plusSeconds(3600)).setCreatedAt(AT).build()));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SkippingDeserializationHandler handler = new SkippingDeserializationHandler();

    UnreadableInputFuzzTest() {
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "chat.dlq",
                SkippingDeserializationHandler.METRICS_CONFIG, new ProcessorMetrics(registry)));
    }

    @AfterContainer
    static void dropRegistry() {
        INPUTS.forEach(Input::close);
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @Property(tries = 1500)
    void unreadableBytesAreReadOrSkippedToTheDeadLetterTopic(@ForAll("inputs") Input<?> input, @ForAll("damage") Damage damage) {
        byte[] bytes = damage.apply(input.valid());

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                assertThat(input.deserializer().deserialize(input.topic(), bytes)).isNotNull();
            } catch (SerializationException unreadable) {
                // What Kafka Streams does with it: the handler's answer decides the record's fate
                Response response = handler.handleError(context(input.topic(), bytes), consumed(input.topic(), bytes), unreadable);

                assertThat(response.result()).isEqualTo(Result.RESUME);
                assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(dead -> {
                    assertThat(dead.topic()).isEqualTo("chat.dlq");
                    assertThat(dead.value()).isEqualTo(bytes);
                    assertThat(dead.headers().lastHeader("__streams.errors.message")).isNotNull();
                });
            }
        });
    }

    @Provide
    Arbitrary<Input<?>> inputs() {
        return Arbitraries.of(INPUTS);
    }

    @Provide
    Arbitrary<Damage> damage() {
        Arbitrary<Damage> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(noise -> valid -> noise);
        Arbitrary<Damage> flipped = Combinators.combine(Arbitraries.integers().between(0, 4096), Arbitraries.integers().between(0, 7))
                .as((at, bit) -> valid -> {
                    byte[] copy = valid.clone();
                    copy[at % copy.length] ^= (byte) (1 << bit);
                    return copy;
                });
        Arbitrary<Damage> truncated = Arbitraries.integers().between(0, 4096).map(length -> valid -> Arrays.copyOf(valid, length % valid.length));
        Arbitrary<Damage> extended = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40).map(tail -> valid -> {
            byte[] longer = Arrays.copyOf(valid, valid.length + tail.length);
            System.arraycopy(tail, 0, longer, valid.length, tail.length);
            return longer;
        });
        return Arbitraries.oneOf(random, flipped, flipped.list().ofMinSize(2).ofMaxSize(6).map(all -> valid -> {
            byte[] bytes = valid;
            for (Damage each : all) {
                bytes = each.apply(bytes);
            }
            return bytes;
        }), truncated, extended);
    }

    @FunctionalInterface
    interface Damage {
        byte[] apply(byte[] valid);
    }

    record Input<T extends SpecificRecord>(String topic, AvroSerde<T> serde, byte[] valid) {

        Deserializer<T> deserializer() {
            return serde.deserializer();
        }

        void close() {
            serde.close();
        }

        @Override
        public String toString() {
            return topic;
        }
    }

    private static <T extends SpecificRecord> Input<T> input(String topic, Class<T> type, T sample) {
        AvroSerde<T> serde = AvroSerde.of(type, SERDE_CONFIG, false);
        return new Input<>(topic, serde, serde.serializer().serialize(topic, sample));
    }

    private static ConsumerRecord<byte[], byte[]> consumed(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 1, 7L, "conv-1".getBytes(StandardCharsets.UTF_8), value);
    }

    private static DefaultErrorHandlerContext context(String topic, byte[] value) {
        return new DefaultErrorHandlerContext(null, topic, 1, 7L, new RecordHeaders(), "source",
                new TaskId(0, 1), 0L, "conv-1".getBytes(StandardCharsets.UTF_8), value);
    }
}
