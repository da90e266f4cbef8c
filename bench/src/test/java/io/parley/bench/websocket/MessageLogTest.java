package io.parley.bench.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MessageLogTest {

    @Test
    void outstandingCountsMessagesWithNeitherReplyNorRefusalOnce() {
        // Given three messages of two connections: one answered twice, one refused then answered, one open
        MessageLog log = new MessageLog(2, 4);
        log.sent(0, 10, 1_000);
        log.sent(1, 20, 2_000);
        log.sent(2, 30, 3_000);
        boolean first = log.replied(0, 40, 4_000);
        boolean again = log.replied(0, 41, 4_001);
        log.refused(1, "rate_limited");
        log.replied(1, 50, 5_000);

        // Then each counts once, and the open one is outstanding
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(log.sent()).isEqualTo(3);
        assertThat(log.outstanding()).isEqualTo(1);
        assertThat(log.times(2).connection()).isZero();
        assertThat(log.times(1).refusedWith()).contains("rate_limited");
        assertThat(log.times(0).replyNanos()).hasValue(40);
    }

    @Test
    void theTimesFileGivesBackWhatWasWritten() throws Exception {
        // Given an answered message and one without ack or reply
        List<MessageTimes> written = List.of(
                new MessageTimes(3, 100, 2_000_000, Optional.of("ev-1"), OptionalLong.of(150), OptionalLong.of(900), 2_000_800,
                        Optional.empty()),
                new MessageTimes(4, 200, 2_000_100, Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), 0,
                        Optional.of("too_long")));

        // When they go through the file format
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (MessageTimes m : written) {
                MessageLog.write(out, m);
            }
        }
        List<MessageTimes> read = MessageLog.readAll(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 2);

        // Then they are the same
        assertThat(read).isEqualTo(written);
    }
}
