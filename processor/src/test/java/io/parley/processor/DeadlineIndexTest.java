package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.topology.TimeIndexKey;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.state.Turn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code deadlines} index holds one entry per waiting turn, at its next due time, however many
 * calls the turn waits for: each index write is a changelog record, and a turn answered in time
 * costs one put and one delete.
 */
class DeadlineIndexTest {

    private final ProcessorDriver driver = ProcessorDriver.demoShop();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aTurnWaitingForTwoCallsHasOneEntryAtItsStillWorkingTimeThenAtItsDeadline() {
        ChatEvent question = driver.say("is MUG-01 in stock");
        List<BackendRequest> requests = driver.requests();
        assertThat(requests).hasSize(2);
        assertThat(driver.gauge("parley.pending.calls")).isEqualTo(2);
        Turn turn = driver.session(ProcessorDriver.CONVERSATION).getTurn();

        assertThat(entries()).containsExactly(new TimeIndexKey(turn.getInterimAt().toEpochMilli(), "turn:" + question.getEventId()));

        driver.advance(Duration.between(turn.getStartedAt(), turn.getInterimAt()));
        driver.replies();
        assertThat(entries()).containsExactly(new TimeIndexKey(turn.getDeadline().toEpochMilli(), "turn:" + question.getEventId()));

        driver.answer(requests.get(0), DemoResults.INVENTORY_MUG);
        assertThat(driver.gauge("parley.pending.calls")).isEqualTo(1);
        assertThat(entries()).hasSize(1);

        driver.answer(requests.get(1), DemoResults.STORE_HOURS);
        assertThat(driver.gauge("parley.pending.calls")).isZero();
        assertThat(entries()).isEmpty();
    }

    @Test
    void aTurnThatTimesOutLeavesNoEntry() {
        driver.say("where is my order 1001");
        driver.request();
        Turn turn = driver.session(ProcessorDriver.CONVERSATION).getTurn();

        driver.advance(Duration.between(turn.getStartedAt(), turn.getDeadline()).plusSeconds(1));

        assertThat(driver.replies()).isNotEmpty();
        assertThat(entries()).isEmpty();
        assertThat(driver.gauge("parley.pending.calls")).isZero();
    }

    private List<TimeIndexKey> entries() {
        KeyValueStore<Bytes, String> deadlines = driver.store("deadlines");
        List<TimeIndexKey> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, String> all = deadlines.all()) {
            all.forEachRemaining(entry -> keys.add(TimeIndexKey.fromBytes(entry.key)));
        }
        return keys;
    }
}
