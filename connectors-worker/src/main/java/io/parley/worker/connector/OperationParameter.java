package io.parley.worker.connector;

import java.util.Objects;

/**
 * A parameter an operation reads from a request, as its connector file declares it (placeholders
 * of paths, queries, bodies and variables; named SQL parameters). Request parameters are strings;
 * {@code type} says what the string must hold, as a JSON Schema type, for tools that describe the
 * operation to others (the MCP server).
 *
 * @param name the parameter's name
 * @param type {@code string}, {@code integer}, {@code number} or {@code boolean}
 * @param required whether a request without it is refused
 */
public record OperationParameter(String name, String type, boolean required) {

    public OperationParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static OperationParameter string(String name) {
        return new OperationParameter(name, "string", true);
    }
}
