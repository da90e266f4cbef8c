package io.parley.processor.flow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the connector files declare, as far as flows care: each connector's operations and the
 * parameters (placeholders) each operation reads. Read by a module that knows the worker's files
 * (the processor and the worker do not depend on each other); the flow checks only compare names.
 *
 * @param operations parameter names by operation by connector
 */
public record ConnectorOperations(Map<String, Map<String, Set<String>>> operations) {

    public ConnectorOperations {
        Map<String, Map<String, Set<String>>> copy = new LinkedHashMap<>();
        operations.forEach((connector, ops) -> {
            Map<String, Set<String>> opsCopy = new LinkedHashMap<>();
            ops.forEach((operation, params) -> opsCopy.put(operation, Set.copyOf(params)));
            copy.put(connector, java.util.Collections.unmodifiableMap(opsCopy));
        });
        operations = java.util.Collections.unmodifiableMap(copy);
    }

    /** The parameters of an operation, when the connector files declare it. */
    public Optional<Set<String>> parameters(String connector, String operation) {
        return Optional.ofNullable(operations.getOrDefault(connector, Map.of()).get(operation));
    }
}
