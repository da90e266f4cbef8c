package io.parley.worker.graphql;

import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.http.HttpEndpoint;
import io.parley.worker.connector.OperationParameter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A {@code graphql} connector: one GraphQL endpoint. */
public record GraphQlConnectorDefinition(ConnectorSettings settings, HttpEndpoint endpoint,
                                         Map<String, GraphQlOperationDefinition> operations) implements ConnectorDefinition {

    @Override
    public Set<String> operationNames() {
        return operations.keySet();
    }

    @Override
    public Optional<List<OperationParameter>> parameters(String operation) {
        return Optional.ofNullable(operations.get(settings.resolve(operation))).map(definition -> definition.variables()
                .map(variables -> variables.parameters().stream().map(OperationParameter::string).toList())
                .orElse(List.of()));
    }
}
