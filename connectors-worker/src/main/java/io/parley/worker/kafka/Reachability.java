package io.parley.worker.kafka;

import java.time.Duration;

/** Whether Kafka can be reached, as the consumer loops ask it ({@link BrokerWatch}). */
interface Reachability {

    /** Always reachable (tests of the loops without a broker watch). */
    Reachability ALWAYS = new Reachability() {
        @Override
        public boolean reachable() {
            return true;
        }

        @Override
        public boolean awaitReachable(Duration max) {
            return true;
        }
    };

    boolean reachable();

    /** Waits until Kafka is reachable, or {@code max} has passed; returns whether it is. */
    boolean awaitReachable(Duration max) throws InterruptedException;
}
