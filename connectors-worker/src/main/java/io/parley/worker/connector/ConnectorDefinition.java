package io.parley.worker.connector;

import java.util.Set;

/** A validated connector entry of a connector file, secrets resolved; each type has its own. */
public interface ConnectorDefinition {

    /** What every connector has. */
    ConnectorSettings settings();

    /** The names of its operations. */
    Set<String> operationNames();

    /** The connector's name. */
    default String name() {
        return settings().name();
    }
}
