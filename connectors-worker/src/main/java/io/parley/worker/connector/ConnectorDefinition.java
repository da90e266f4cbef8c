package io.parley.worker.connector;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A validated connector entry of a connector file, secrets resolved; each type has its own. */
public interface ConnectorDefinition {

    /** What every connector has. */
    ConnectorSettings settings();

    /** The names of its operations. */
    Set<String> operationNames();

    /**
     * The parameters an operation reads from requests (a plain name of a versioned operation means
     * its default version); empty when the operation is unknown or the kind does not declare them.
     */
    default Optional<List<OperationParameter>> parameters(String operation) {
        return Optional.empty();
    }

    /** The connector's name. */
    default String name() {
        return settings().name();
    }
}
