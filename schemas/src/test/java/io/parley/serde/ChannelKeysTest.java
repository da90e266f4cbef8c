package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChannelKeysTest {

    @Test
    void aPlainKeyIsReadAsUtf8() {
        assertThat(ChannelKeys.deserializer().deserialize("chat.events", "conv-1".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("conv-1");
    }

    @Test
    void aRegistryFramedAvroStringKeyIsReadAsTheStringItHolds() {
        // magic 0, schema id 7, zig-zag length 6 (12), "conv-1"
        byte[] framed = {0, 0, 0, 0, 7, 12, 'c', 'o', 'n', 'v', '-', '1'};

        assertThat(ChannelKeys.deserializer().deserialize("chat.events", framed)).isEqualTo("conv-1");
    }

    @Test
    void framedBytesThatAreNotExactlyOneAvroStringStayAsTheyWere() {
        byte[] tooLong = {0, 0, 0, 0, 7, 2, 'a', 'b'};
        byte[] negative = {0, 0, 0, 0, 7, 1, 'a'};

        assertThat(ChannelKeys.deserializer().deserialize("t", tooLong)).isEqualTo(new String(tooLong, StandardCharsets.UTF_8));
        assertThat(ChannelKeys.deserializer().deserialize("t", negative)).isEqualTo(new String(negative, StandardCharsets.UTF_8));
        assertThat(ChannelKeys.deserializer().deserialize("t", null)).isNull();
    }
}
