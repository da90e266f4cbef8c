package io.parley.processor.flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the connector files declare, as far as flows care: each connector's operations, the
 * parameters (placeholders) each operation reads, and, for operations with a response schema, the
 * top-level fields their result can have. Read by a module that knows the worker's files (the
 * processor and the worker do not depend on each other); the flow checks only compare names.
 * A versioned operation appears under each {@code name@version} and under its plain name (its default version).
 *
 * @param operations parameter names by operation by connector
 * @param resultFields the fields of each result the response schema describes, by operation by connector;
 *     an operation without a schema, or whose schema leaves the result open, is not listed
 */
public record ConnectorOperations(Map<String, Map<String, Set<String>>> operations,
                                  Map<String, Map<String, Set<String>>> resultFields) {

    public ConnectorOperations {
        operations = copy(operations);
        resultFields = copy(resultFields);
    }

    /** Operations without anything known of their results. */
    public ConnectorOperations(Map<String, Map<String, Set<String>>> operations) {
        this(operations, Map.of());
    }

    private static Map<String, Map<String, Set<String>>> copy(Map<String, Map<String, Set<String>>> byConnector) {
        Map<String, Map<String, Set<String>>> copy = new LinkedHashMap<>();
        byConnector.forEach((connector, ops) -> {
            Map<String, Set<String>> opsCopy = new LinkedHashMap<>();
            ops.forEach((operation, names) -> opsCopy.put(operation, Set.copyOf(names)));
            copy.put(connector, Collections.unmodifiableMap(opsCopy));
        });
        return Collections.unmodifiableMap(copy);
    }

    /** The parameters of an operation, when the connector files declare it. */
    public Optional<Set<String>> parameters(String connector, String operation) {
        return Optional.ofNullable(operations.getOrDefault(connector, Map.of()).get(operation));
    }

    /** The top-level fields of an operation's result, when its response schema says which they are. */
    public Optional<Set<String>> resultFields(String connector, String operation) {
        return Optional.ofNullable(resultFields.getOrDefault(connector, Map.of()).get(operation));
    }
}
