package io.parley.worker.connector;

import io.parley.worker.connector.AttemptOutcome.Failure;
import java.util.function.Function;

/**
 * One attempt through a client library that reports failures by throwing (Jedis, the MongoDB
 * driver): the part of such a connector's operations that does not depend on the library.
 */
@FunctionalInterface
public interface DriverCall {

    AttemptOutcome run(AttemptContext context);

    /** The call as an operation's prepared call: counted as a call to the backend, what it throws classified. */
    default Operation.PreparedCall classifiedBy(Function<Throwable, Failure> classifier) {
        return context -> {
            try {
                context.countCall();
                return run(context);
            } catch (RuntimeException e) {
                return classifier.apply(e);
            }
        };
    }
}
