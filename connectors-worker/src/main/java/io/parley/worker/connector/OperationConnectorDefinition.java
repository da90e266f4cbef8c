package io.parley.worker.connector;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The definition of a connector made of named operations ({@link OperationKind}): answers
 * {@link #operationNames()} and {@link #parameters(String)} from {@link #operations()}, so a kind
 * only says which parameters one of its operations reads.
 *
 * @param <O> the kind's operation definition
 */
public interface OperationConnectorDefinition<O extends OperationDefinition> extends ConnectorDefinition {

    /** The operations by name (versioned ones as {@code name@version}), in file order. */
    Map<String, O> operations();

    @Override
    default Set<String> operationNames() {
        return operations().keySet();
    }

    @Override
    default Optional<List<OperationParameter>> parameters(String operation) {
        return Optional.ofNullable(operations().get(settings().resolve(operation))).flatMap(this::parametersOf);
    }

    /** The parameters one operation reads; empty when the kind does not declare them. */
    default Optional<List<OperationParameter>> parametersOf(O operation) {
        return Optional.empty();
    }
}
