package io.parley.bench.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.gateway.chat.Frames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The ws-clients' frame reader on the frames the gateway itself writes ({@link Frames}). */
class FrameFieldsTest {

    private static FrameFields read(String frame) {
        FrameFields fields = new FrameFields();
        assertThat(fields.read(ByteBuffer.wrap(frame.getBytes(StandardCharsets.UTF_8)))).as(frame).isTrue();
        return fields;
    }

    @Test
    void anAckGivesTheMessageNumberAndTheEventId() {
        // Given the gateway's ack of message 1234
        FrameFields fields = read(Frames.ack("1234", "c1-2f6e-event"));

        // Then the reader has the number and the id, without making a string to compare it
        assertThat(fields.kind()).isEqualTo(FrameFields.Kind.ACK);
        assertThat(fields.clientId()).isEqualTo(1234);
        assertThat(fields.idEquals("c1-2f6e-event")).isTrue();
        assertThat(fields.idEquals("c1-2f6e-evenT")).isFalse();
        assertThat(fields.idEquals("c1-2f6e")).isFalse();
        assertThat(fields.id()).isEqualTo("c1-2f6e-event");
    }

    @Test
    void aReplyGivesTheEventItAnswersWhateverItsTextHolds() {
        // Given a reply whose text looks like frame fields, with quick replies and in another field order
        String frame = "{\"text\":\"\\\"inReplyTo\\\":\\\"forged\\\" <b>\",\"quickReplies\":[\"a\",{\"b\":1}],"
                + "\"type\":\"reply\",\"inReplyTo\":\"ev-9\",\"createdAt\":17}";

        // When it is read
        FrameFields fields = read(frame);

        // Then only the real inReplyTo counts
        assertThat(fields.kind()).isEqualTo(FrameFields.Kind.REPLY);
        assertThat(fields.idEquals("ev-9")).isTrue();
        assertThat(fields.clientId()).isEqualTo(-1);
    }

    @Test
    void theSameReaderIsReusedFrameAfterFrame() {
        // Given one reader that read a long ack first
        FrameFields fields = new FrameFields();
        fields.read(ByteBuffer.wrap(Frames.ack("7", "x".repeat(200)).getBytes(StandardCharsets.UTF_8)));

        // When it reads an error and a ready frame
        fields.read(ByteBuffer.wrap(Frames.error("rate_limited", "slow down", "8").getBytes(StandardCharsets.UTF_8)));
        FrameFields.Kind error = fields.kind();
        long refused = fields.clientId();
        String code = fields.errorCode();
        fields.read(ByteBuffer.wrap(Frames.ready("conv", "u1").getBytes(StandardCharsets.UTF_8)));

        // Then nothing of an earlier frame is left over
        assertThat(error).isEqualTo(FrameFields.Kind.ERROR);
        assertThat(refused).isEqualTo(8);
        assertThat(code).isEqualTo("rate_limited");
        assertThat(fields.kind()).isEqualTo(FrameFields.Kind.READY);
        assertThat(fields.hasId()).isFalse();
        assertThat(fields.clientId()).isEqualTo(-1);
    }

    @Test
    void whatIsNotAJsonObjectIsUnreadableAndAForeignClientIdIsNoNumber() {
        FrameFields fields = new FrameFields();

        assertThat(fields.read(ByteBuffer.wrap("not json".getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(fields.read(ByteBuffer.wrap("[1,2]".getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(read(Frames.ack("m12", "e")).clientId()).isEqualTo(-1);
        assertThat(read("{\"type\":\"typing\"}").kind()).isEqualTo(FrameFields.Kind.OTHER);
    }
}
