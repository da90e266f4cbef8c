package io.parley.worker;

import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.OperationParameter;
import io.parley.worker.connector.ResponseMapping;
import io.parley.worker.graphql.GraphQlConnectorDefinition;
import io.parley.worker.http.HttpConnectorDefinition;
import io.parley.worker.jdbc.JdbcConnectorDefinition;
import io.parley.worker.mongodb.MongoConnectorDefinition;
import io.parley.worker.redis.RedisConnectorDefinition;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * What each operation of a connector promises to its callers: the parameters it reads and the
 * response mapping (with its schema) its result goes through. One place for every kind, used by the
 * connector catalog the worker publishes and by {@code parley flows validate --connectors}.
 */
public final class OperationContracts {

    private OperationContracts() {
    }

    /** The placeholders each operation fills from a request's parameters, by operation name as requests give it. */
    public static Map<String, Set<String>> parameters(ConnectorDefinition definition) {
        Map<String, Set<String>> operations = new LinkedHashMap<>();
        for (String name : definition.operationNames()) {
            List<OperationParameter> parameters = definition.parameters(name).orElseThrow(() -> new ConfigException(
                    definition.name() + ": the parameters of a " + definition.getClass().getSimpleName() + " are not known"));
            Set<String> names = new LinkedHashSet<>();
            parameters.forEach(parameter -> names.add(parameter.name()));
            operations.put(name, names);
        }
        return operations;
    }

    /** Each operation's response mapping (root, fields, required, schema), by operation name as requests give it. */
    public static Map<String, ResponseMapping> responses(ConnectorDefinition definition) {
        Map<String, ResponseMapping> mappings = new LinkedHashMap<>();
        if (definition instanceof HttpConnectorDefinition http) {
            http.operations().forEach((name, operation) -> mappings.put(name, operation.response()));
        } else if (definition instanceof GraphQlConnectorDefinition graphQl) {
            graphQl.operations().forEach((name, operation) -> mappings.put(name, operation.response()));
        } else if (definition instanceof JdbcConnectorDefinition jdbc) {
            jdbc.operations().forEach((name, operation) -> mappings.put(name, operation.response()));
        } else if (definition instanceof MongoConnectorDefinition mongo) {
            mongo.operations().forEach((name, operation) -> mappings.put(name, operation.response()));
        } else if (definition instanceof RedisConnectorDefinition redis) {
            redis.operations().forEach((name, operation) -> mappings.put(name, operation.response()));
        }
        return mappings;
    }

    /** The top-level fields of each operation's result that its response schema names (operations without one are left out). */
    public static Map<String, Set<String>> resultFields(ConnectorDefinition definition) {
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        responses(definition).forEach((name, mapping) -> mapping.resultFields().ifPresent(known -> fields.put(name, known)));
        return fields;
    }
}
