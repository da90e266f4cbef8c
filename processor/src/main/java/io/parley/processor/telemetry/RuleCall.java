package io.parley.processor.telemetry;

import java.util.Map;
import java.util.Objects;

/**
 * One backend call a rule makes when it fires, before it notifies (the syntax of a flow step's call).
 *
 * @param name the call's name; its result is {@code {{results.<name>.<field>}}} in the rule's message
 * @param connector the connector the worker uses
 * @param operation the operation of the connector
 * @param params parameter templates by parameter name: plain placeholders over the alert's values
 *     ({@code {{device.id}}}, {@code {{device.location}}}, {@code {{rule.name}}}, {@code {{value}}}, ...)
 */
public record RuleCall(String name, String connector, String operation, Map<String, String> params) {

    public RuleCall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(operation, "operation");
        params = Map.copyOf(params);
    }
}
