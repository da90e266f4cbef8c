package io.parley.worker.connector;

import java.time.Duration;
import java.util.Optional;

/**
 * An operation built from its definition: name and cache come from the definition, so a kind
 * writes only {@link #prepare}, how one call is made.
 *
 * @param <O> the kind's operation definition
 */
public abstract class DefinedOperation<O extends OperationDefinition> implements Operation {

    protected final O definition;

    protected DefinedOperation(O definition) {
        this.definition = definition;
    }

    @Override
    public final String name() {
        return definition.name();
    }

    @Override
    public final Optional<Duration> cacheTtl() {
        return definition.cacheTtl();
    }
}
