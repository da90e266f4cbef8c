package io.parley.worker.graphql;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.config.ConfigSection;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.ConnectorType;
import io.parley.worker.connector.OperationKind;
import io.parley.worker.http.HttpEndpoint;
import io.parley.worker.http.HttpTransport;
import java.util.List;

/** The {@code graphql} connector type; {@code url} is the GraphQL endpoint. */
public final class GraphQlConnectorKind extends OperationKind<GraphQlConnectorDefinition, GraphQlOperationDefinition> {

    public static final String URL = "url";

    @Override
    public ConnectorType type() {
        return ConnectorType.GRAPHQL;
    }

    @Override
    public List<String> keys() {
        return HttpEndpoint.keys(URL);
    }

    @Override
    public GraphQlConnectorDefinition parse(ConfigSection connector, ConnectorSettings settings, ConfigVariables variables) {
        HttpEndpoint endpoint = HttpEndpoint.from(connector, URL, variables);
        return new GraphQlConnectorDefinition(settings, endpoint, operations(connector, GraphQlOperationDefinition::from));
    }

    @Override
    protected Backend<GraphQlOperationDefinition> open(GraphQlConnectorDefinition definition, ConnectorEnvironment environment) {
        HttpTransport transport = definition.endpoint().transport(definition.settings(), environment);
        return new Backend<>(operation -> new GraphQlOperation(operation, transport, definition.endpoint().url().uri()),
                transport::close);
    }
}
