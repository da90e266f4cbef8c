package io.parley.worker.graphql;

import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.connector.Connector;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorKind;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.ConnectorType;
import io.parley.worker.connector.Operation;
import io.parley.worker.connector.OperationConnector;
import io.parley.worker.connector.OperationVersions;
import io.parley.worker.http.HttpEndpoint;
import io.parley.worker.http.HttpTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code graphql} connector type; {@code url} is the GraphQL endpoint. */
public final class GraphQlConnectorKind implements ConnectorKind<GraphQlConnectorDefinition> {

    public static final String URL = "url";

    @Override
    public ConnectorType type() {
        return ConnectorType.GRAPHQL;
    }

    @Override
    public List<String> keys() {
        List<String> keys = new ArrayList<>(HttpEndpoint.KEYS);
        keys.add(URL);
        return keys;
    }

    @Override
    public GraphQlConnectorDefinition parse(ConfigSection connector, ConnectorSettings settings, ConfigVariables variables) {
        HttpEndpoint endpoint = HttpEndpoint.from(connector, URL, variables);
        Map<String, GraphQlOperationDefinition> operations = new LinkedHashMap<>();
        OperationVersions.operations(connector).forEach((name, operation) ->
                operations.put(name, GraphQlOperationDefinition.from(name, operation)));
        return new GraphQlConnectorDefinition(settings, endpoint, operations);
    }

    @Override
    public Connector create(GraphQlConnectorDefinition definition, ConnectorEnvironment environment) {
        HttpTransport transport = definition.endpoint().transport(definition.settings(), environment);
        Map<String, Operation> operations = new LinkedHashMap<>();
        definition.operations().forEach((name, operation) ->
                operations.put(name, new GraphQlOperation(operation, transport, definition.endpoint().url().uri())));
        return new OperationConnector(definition.settings(), operations, environment, transport::close);
    }
}
