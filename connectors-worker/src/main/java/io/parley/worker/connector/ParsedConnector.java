package io.parley.worker.connector;

/**
 * A definition together with the kind that read it, so that the connector can be built later
 * without losing the definition's type.
 */
public record ParsedConnector<D extends ConnectorDefinition>(ConnectorKind<D> kind, D definition, String file) {

    public Connector create(ConnectorEnvironment environment) {
        return kind.create(definition, environment);
    }

    public String name() {
        return definition.name();
    }
}
