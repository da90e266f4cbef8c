package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.worker.connector.Connector;
import io.parley.worker.connector.ConnectorType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lease counting that lets a replaced version of the connectors close only after its last call. */
class ConnectorGenerationTest {

    /** Counts how often it is closed; never called. */
    private static final class ClosableConnector implements Connector {

        final AtomicInteger closed = new AtomicInteger();

        @Override
        public String name() {
            return "shop-api";
        }

        @Override
        public ConnectorType type() {
            return ConnectorType.HTTP;
        }

        @Override
        public Set<String> operations() {
            return Set.of("getOrder");
        }

        @Override
        public BackendResponse call(BackendRequest request) {
            throw new UnsupportedOperationException("the lease tests make no calls");
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    private final ClosableConnector connector = new ClosableConnector();
    private final ConnectorGeneration generation = new ConnectorGeneration(Map.of("shop-api", connector), List.of(),
            new Connectors.Version(1, "ab"), List.of());

    @Test
    void aRetiredGenerationWithoutCallsClosesAtOnceAndTakesNoMoreLeases() {
        generation.retire();

        assertThat(connector.closed).hasValue(1);
        assertThat(generation.isClosed()).isTrue();
        assertThat(generation.tryAcquire()).isFalse();
    }

    @Test
    void aRetiredGenerationClosesWhenItsLastCallEndsAndOnlyOnce() {
        assertThat(generation.tryAcquire()).isTrue();
        assertThat(generation.tryAcquire()).isTrue();

        generation.retire();
        assertThat(connector.closed).hasValue(0);
        generation.release();
        assertThat(connector.closed).hasValue(0);
        assertThat(generation.inFlight()).isEqualTo(1);
        generation.release();

        assertThat(connector.closed).hasValue(1);
        generation.retire();
        assertThat(connector.closed).hasValue(1);
    }

    @Test
    void aGenerationThatIsNotRetiredStaysOpenWhenIdle() {
        assertThat(generation.tryAcquire()).isTrue();

        generation.release();

        assertThat(generation.isClosed()).isFalse();
        assertThat(connector.closed).hasValue(0);
    }

    @Test
    void racingCallsAndARetireCloseExactlyOnceAfterTheLastCall() throws Exception {
        int threads = 8;
        Thread[] callers = new Thread[threads];
        AtomicInteger usedAfterClose = new AtomicInteger();
        for (int i = 0; i < threads; i++) {
            callers[i] = new Thread(() -> {
                for (int call = 0; call < 10_000; call++) {
                    if (generation.tryAcquire()) {
                        // A closed generation's connector must never be in use.
                        if (connector.closed.get() != 0) {
                            usedAfterClose.incrementAndGet();
                        }
                        generation.release();
                    }
                }
            });
            callers[i].start();
        }
        generation.retire();
        for (Thread caller : callers) {
            caller.join();
        }

        assertThat(usedAfterClose).hasValue(0);
        assertThat(connector.closed).hasValue(1);
        assertThat(generation.tryAcquire()).isFalse();
    }
}
