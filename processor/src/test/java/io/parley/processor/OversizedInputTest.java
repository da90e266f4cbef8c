package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a field no conversation needs at that size (a 600,000-character event id crash-looped the
 * processor) is refused to the dead-letter topic with the field named, and the conversation goes on.
 */
class OversizedInputTest {

    @Test
    void anOversizedEventIdGoesToTheDeadLetterTopicAndTheNextEventIsAnswered() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.kafka("processing.guarantee", "at_least_once"),
                "flows/demo-shop.yaml")) {
            driver.send(driver.event(ProcessorDriver.CONVERSATION, ProcessorDriver.USER, ChatEventType.MESSAGE,
                    "where is my order 1001").setEventId("e".repeat(600_000)));

            assertThat(driver.requests()).isEmpty();
            assertThat(driver.replies()).as("no reply can carry such an id").isEmpty();
            assertThat(driver.deadLetters()).singleElement().satisfies(record -> assertThat(header(record, "__streams.errors.message"))
                    .isEqualTo("field-too-large: eventId is 600000 characters long; at most 256 are accepted (inputs: in processor.yaml)"));
            assertThat(driver.counter("parley.skipped.records", "reason", "field-too-large")).isEqualTo(1);

            driver.say("where is my order 1001");
            assertThat(driver.request().getParams()).containsEntry("orderId", "1001");
        }
    }

    @Test
    void anOversizedMessageGetsAnErrorReplyAndADeadLetterAndTheConversationGoesOn() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.kafka("processing.guarantee", "at_least_once"),
                "flows/demo-shop.yaml")) {
            // Given a message of about 1 MiB (a channel's producer compresses it, so the broker accepts it)
            ChatEvent huge = driver.say("where is my order 1001 " + "x".repeat(1 << 20));

            // Then the user is told, with an ERROR reply that does not repeat the message
            ChatReply reply = driver.reply();
            assertThat(reply.getKind()).isEqualTo(ReplyKind.ERROR);
            assertThat(reply.getInReplyTo()).isEqualTo(huge.getEventId());
            assertThat(reply.getText()).isEqualTo("Sorry, that message is too long for me. Could you send a shorter one?");
            // and the event goes to the dead-letter topic, cut to limits.maxDeadLetterBytes, saying how large it was
            assertThat(driver.deadLetters()).singleElement().satisfies(record -> {
                assertThat(header(record, "__streams.errors.message")).startsWith("field-too-large: text is 1048599 characters long");
                assertThat(record.value().length).isLessThanOrEqualTo(256 << 10);
                assertThat(header(record, "parley.errors.truncated")).startsWith("key=6,value=");
            });
            assertThat(driver.audit()).noneMatch(audit -> audit.getText() != null && audit.getText().contains("xxxx"));
            assertThat(driver.session(ProcessorDriver.CONVERSATION)).isNull();

            // And the next message is answered as usual
            driver.say("where is my order 1001");
            assertThat(driver.request().getParams()).containsEntry("orderId", "1001");
        }
    }

    @Test
    void anOversizedTextOrPayloadIsRefusedToo() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.kafka("processing.guarantee", "at_least_once"),
                "flows/demo-shop.yaml")) {
            driver.send(driver.event(ProcessorDriver.CONVERSATION, ProcessorDriver.USER, ChatEventType.MESSAGE,
                    "order 1001 " + "x".repeat(20_000)));
            Map<String, String> payload = new HashMap<>();
            for (int i = 0; i < 60; i++) {
                payload.put("k" + i, "v");
            }
            driver.send(driver.event(ProcessorDriver.CONVERSATION, ProcessorDriver.USER, ChatEventType.POSTBACK, null)
                    .setPayload(payload));

            assertThat(driver.deadLetters()).extracting(record -> header(record, "__streams.errors.message")).containsExactly(
                    "field-too-large: text is 20011 characters long; at most 10000 are accepted (inputs: in processor.yaml)",
                    "field-too-large: payload has 60 entries; at most 50 are accepted");
            assertThat(driver.requests()).isEmpty();
        }
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
