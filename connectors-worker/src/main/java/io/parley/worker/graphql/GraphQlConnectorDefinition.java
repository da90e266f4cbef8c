package io.parley.worker.graphql;

import io.parley.worker.connector.OperationConnectorDefinition;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.http.HttpEndpoint;
import io.parley.worker.connector.OperationParameter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@code graphql} connector: one GraphQL endpoint. */
public record GraphQlConnectorDefinition(ConnectorSettings settings, HttpEndpoint endpoint,
                                         Map<String, GraphQlOperationDefinition> operations) implements OperationConnectorDefinition<GraphQlOperationDefinition> {

    @Override
    public Optional<List<OperationParameter>> parametersOf(GraphQlOperationDefinition definition) {
        return Optional.of(definition.variables()
                .map(variables -> variables.parameters().stream().map(OperationParameter::string).toList())
                .orElse(List.of()));
    }
}
