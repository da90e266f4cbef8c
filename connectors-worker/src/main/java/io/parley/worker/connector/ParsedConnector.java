package io.parley.worker.connector;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A definition together with the kind that read it, so that the connector can be built later
 * without losing the definition's type.
 *
 * @param file the file the connector is defined in, as errors name it
 * @param entry the connector's entry as written (secret references, not their values): what the
 *     catalog's definition hashes are computed from
 */
public record ParsedConnector<D extends ConnectorDefinition>(ConnectorKind<D> kind, D definition, String file, JsonNode entry) {

    public Connector create(ConnectorEnvironment environment) {
        return kind.create(definition, environment);
    }

    public String name() {
        return definition.name();
    }
}
