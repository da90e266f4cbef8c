package io.parley.worker.graphql;

import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.http.HttpEndpoint;
import java.util.Map;
import java.util.Set;

/** A {@code graphql} connector: one GraphQL endpoint. */
public record GraphQlConnectorDefinition(ConnectorSettings settings, HttpEndpoint endpoint,
                                         Map<String, GraphQlOperationDefinition> operations) implements ConnectorDefinition {

    @Override
    public Set<String> operationNames() {
        return operations.keySet();
    }
}
