package io.parley.processor.flow;

import java.util.Map;

/**
 * One backend call of a step.
 *
 * @param name the call's name; its result is {@code {{results.<name>}}} in later templates
 * @param connector the connector the worker uses
 * @param operation the operation of the connector
 * @param params parameter templates by parameter name
 * @param saveProfile whether the result's top-level fields are kept as the session's profile
 */
public record CallDefinition(String name, String connector, String operation, Map<String, Template> params,
                             boolean saveProfile) {

    public CallDefinition {
        params = Map.copyOf(params);
    }
}
