package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** When the processor starts again in its JVM because the group still holds its instance id. */
class HeldInstanceIdTest {

    private static final long S = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(100 * S);
    private final HeldInstanceId held = new HeldInstanceId(Duration.ofSeconds(6), now::get);

    @Test
    void theCoordinatorsRefusalIsRecognisedInsideTheStreamThreadsException() {
        UnreleasedInstanceIdException refusal = new UnreleasedInstanceIdException("instance id parley-0-1 is owned by member x");

        assertThat(HeldInstanceId.isRefusal(refusal)).isTrue();
        assertThat(HeldInstanceId.isRefusal(new StreamsException(new RuntimeException(refusal)))).isTrue();
        assertThat(HeldInstanceId.isRefusal(new StreamsException("a record could not be processed"))).isFalse();
    }

    @Test
    void theProcessorStartsAgainForThreeSessionsFromTheFirstRefusalAndAtLeastThirtySeconds() {
        UnreleasedInstanceIdException refusal = new UnreleasedInstanceIdException("held");

        assertThat(held.window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(new HeldInstanceId(Duration.ofSeconds(20), now::get).window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(held.startAgain(refusal)).isTrue();
        now.addAndGet(20 * S);
        assertThat(held.startAgain(refusal)).isTrue();
        now.addAndGet(10 * S);
        assertThat(held.startAgain(refusal)).isTrue();
        now.addAndGet(1);
        assertThat(held.startAgain(refusal)).as("another live process holds the id").isFalse();
        assertThat(held.pause()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anyOtherFailureStopsTheProcessor() {
        assertThat(held.startAgain(new StreamsException("the state directory is locked"))).isFalse();
    }
}
