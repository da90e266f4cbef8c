package io.parley.processor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterBoundsTest {

    private final DeadLetterBounds bounds = new DeadLetterBounds(64 << 10);

    @Test
    void aRecordWithinTheBoundIsLeftAsItIs() {
        ProducerRecord<byte[], byte[]> record = record(new byte[100], new byte[1_000]);

        assertThat(bounds.apply(record)).isSameAs(record);
    }

    @Test
    void aLargerRecordKeepsTheErrorHeadersItsFirstBytesAndSaysHowLargeItWas() {
        ProducerRecord<byte[], byte[]> cut = bounds.apply(record(new byte[5_000], new byte[1 << 20]));

        assertThat(cut.key()).hasSize(1_024);
        assertThat(cut.value().length).isLessThanOrEqualTo(64 << 10);
        assertThat(header(cut, "__streams.errors.message")).isEqualTo("field-too-large: text is too long");
        assertThat(header(cut, "parley.errors.truncated")).isEqualTo("key=5000,value=1048576,headers=" + (13 + 10_000 + 24 + 33));
        assertThat(cut.headers().lastHeader("channel-trace")).as("the channel's own headers are left out").isNull();
        int total = cut.key().length + cut.value().length;
        for (var header : cut.headers()) {
            total += header.key().length() + header.value().length;
        }
        assertThat(total).isLessThanOrEqualTo(64 << 10);
    }

    private static ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("channel-trace", new byte[10_000]);
        headers.add("__streams.errors.message", "field-too-large: text is too long".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>("chat.dlq", null, key, value, headers);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
