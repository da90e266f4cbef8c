package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.serde.AvroSerdeConfig;
import io.parley.serde.registry.SchemaRegistries;
import io.parley.serde.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Issue 11: what any Kafka client writes is understood, or refused to the dead-letter topic, never silently skipped. */
class ChannelInteropTest {

    @Test
    void requestsCarryThePartitionOfTheTaskHoldingTheSession() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("where is my order 1001");

            assertThat(driver.request().getReplyPartition()).isEqualTo(0);
        }
    }

    @Test
    void aChatEventWithARegistryFramedAvroStringKeyIsUnderstood() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.kafka("processing.guarantee", "at_least_once"),
                "flows/demo-shop.yaml")) {
            ChatEvent event = driver.event(ProcessorDriver.CONVERSATION, ProcessorDriver.USER, ChatEventType.MESSAGE,
                    "where is my order 1001").build();

            // The channel's serializer registered its key schema, "string", as Confluent's does
            int keySchema = registry(driver).register("chat.events-key", Schema.create(Schema.Type.STRING));

            driver.sendRaw(avroStringKey(keySchema, ProcessorDriver.CONVERSATION), driver.serialize(event));

            assertThat(driver.request().getParams()).containsEntry("orderId", "1001");
            assertThat(driver.deadLetters()).isEmpty();
        }
    }

    @Test
    void aKeyFramedWithASchemaThatIsNotStringGoesToTheDeadLetterTopicWithTheReason() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.kafka("processing.guarantee", "at_least_once"),
                "flows/demo-shop.yaml")) {
            // Given a channel whose key schema is a record holding the id: its bytes look like an Avro string
            Schema recordKey = new Schema.Parser().parse(
                    "{\"type\":\"record\",\"name\":\"ChannelKey\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
            int keySchema = registry(driver).register("chat.events-key", recordKey);
            ChatEvent event = driver.event(ProcessorDriver.CONVERSATION, ProcessorDriver.USER, ChatEventType.MESSAGE,
                    "where is my order 1001").build();

            // When it sends an event
            driver.sendRaw(avroStringKey(keySchema, ProcessorDriver.CONVERSATION), driver.serialize(event));

            // Then nothing is processed, and the dead-letter record says why
            assertThat(driver.requests()).isEmpty();
            assertThat(driver.deadLetters()).singleElement().satisfies(record ->
                    assertThat(header(record, "__streams.errors.message")).contains("schema id " + keySchema)
                            .contains("a record schema"));
            assertThat(driver.counter("parley.skipped.records", "reason", "unreadable")).isEqualTo(1);
        }
    }

    @Test
    void aChatEventKeyedByAnythingElseGoesToTheDeadLetterTopicWithTheReason() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.kafka("processing.guarantee", "at_least_once"),
                "flows/demo-shop.yaml")) {
            ChatEvent event = driver.event(ProcessorDriver.CONVERSATION, ProcessorDriver.USER, ChatEventType.MESSAGE,
                    "where is my order 1001").build();

            driver.sendRaw("someone-else".getBytes(StandardCharsets.UTF_8), driver.serialize(event));

            assertThat(driver.requests()).isEmpty();
            List<TestRecord<byte[], byte[]>> deadLetters = driver.deadLetters();
            assertThat(deadLetters).singleElement().satisfies(record ->
                    assertThat(header(record, "__streams.errors.message")).startsWith("key-not-conversation-id: "));
            assertThat(driver.counter("parley.skipped.records", "reason", "key-not-conversation-id")).isEqualTo(1);
        }
    }

    @Test
    void aNotificationKeyedByAnotherUserIsRefusedAndOneKeyedRightIsDelivered() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.kafka("processing.guarantee", "at_least_once"),
                "flows/demo-shop.yaml")) {
            driver.say("hello");
            driver.replies();
            driver.answer(driver.request(), DemoResults.PROFILE_ALICE);
            driver.replies();

            driver.notifyRaw("mallory", driver.notification("n-1", ProcessorDriver.USER, "Your parcel is out for delivery",
                    Instant.now().plusSeconds(3600)));
            driver.notify("n-2", ProcessorDriver.USER, "Your parcel is out for delivery", Instant.now().plusSeconds(3600));

            List<ChatReply> replies = driver.replies();
            assertThat(replies).extracting(ChatReply::getText).containsExactly("Your parcel is out for delivery");
            assertThat(driver.counter("parley.skipped.records", "reason", "key-not-user-id")).isEqualTo(1);
        }
    }

    private static SchemaRegistryClient registry(ProcessorDriver driver) {
        return SchemaRegistries.fromConfig(new AvroSerdeConfig(driver.config().schemaRegistry()));
    }

    /** A key as Confluent's Avro serializer writes a "string" schema: magic byte, schema id, Avro string. */
    static byte[] avroStringKey(int schemaId, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array());
        long zigzag = ((long) utf8.length << 1);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
        out.writeBytes(utf8);
        return out.toByteArray();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
