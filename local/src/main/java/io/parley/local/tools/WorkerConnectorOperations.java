package io.parley.local.tools;

import io.parley.processor.flow.ConnectorOperations;
import io.parley.runtime.ConfigVariables;
import io.parley.worker.ConnectorFiles;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.JsonTemplate;
import io.parley.worker.connector.ParsedConnector;
import io.parley.worker.connector.ResponseMapping;
import io.parley.worker.graphql.GraphQlConnectorDefinition;
import io.parley.worker.http.HttpConnectorDefinition;
import io.parley.worker.jdbc.JdbcConnectorDefinition;
import io.parley.worker.mongodb.MongoConnectorDefinition;
import io.parley.worker.redis.RedisConnectorDefinition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * The operations of connector files, the parameters each reads and the result fields its response
 * schema names, as the worker reads the files
 * (same parser and validation, secrets resolved through the same config providers). Lives in
 * {@code local}, which may depend on both the processor and the worker; they do not depend on each other.
 */
public final class WorkerConnectorOperations {

    private WorkerConnectorOperations() {
    }

    /**
     * @throws ConfigException naming the file, connector, operation and field of the first problem of the files
     */
    public static ConnectorOperations read(List<Path> files) {
        List<ParsedConnector<?>> connectors;
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            connectors = ConnectorFiles.read(files.stream().map(YamlFiles::read).toList(), variables);
        }
        Map<String, Map<String, Set<String>>> operations = new LinkedHashMap<>();
        Map<String, Map<String, Set<String>>> resultFields = new LinkedHashMap<>();
        for (ParsedConnector<?> connector : connectors) {
            Map<String, String> defaults = connector.definition().settings().defaultVersions();
            operations.put(connector.name(), withPlainNames(parameters(connector.definition()), defaults));
            resultFields.put(connector.name(), withPlainNames(resultFields(connector.definition()), defaults));
        }
        return new ConnectorOperations(operations, resultFields);
    }

    /** A versioned operation is also called by its plain name, which calls its default version. */
    private static Map<String, Set<String>> withPlainNames(Map<String, Set<String>> byOperation, Map<String, String> defaults) {
        Map<String, Set<String>> all = new LinkedHashMap<>(byOperation);
        defaults.forEach((plain, version) -> {
            Set<String> values = byOperation.get(version);
            if (values != null) {
                all.put(plain, values);
            }
        });
        return all;
    }

    /** The top-level fields of each operation's result that its response schema names (operations without one are left out). */
    static Map<String, Set<String>> resultFields(ConnectorDefinition definition) {
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
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        mappings.forEach((name, mapping) -> mapping.resultFields().ifPresent(known -> fields.put(name, known)));
        return fields;
    }

    /** The placeholders each operation fills from a request's parameters. */
    static Map<String, Set<String>> parameters(ConnectorDefinition definition) {
        Map<String, Set<String>> operations = new LinkedHashMap<>();
        if (definition instanceof HttpConnectorDefinition http) {
            http.operations().forEach((name, operation) -> {
                Set<String> names = new LinkedHashSet<>(operation.url().parameters());
                operation.body().map(JsonTemplate::parameters).ifPresent(names::addAll);
                operations.put(name, names);
            });
        } else if (definition instanceof GraphQlConnectorDefinition graphQl) {
            graphQl.operations().forEach((name, operation) ->
                    operations.put(name, operation.variables().map(JsonTemplate::parameters).orElse(Set.of())));
        } else if (definition instanceof JdbcConnectorDefinition jdbc) {
            jdbc.operations().forEach((name, operation) -> operations.put(name, new LinkedHashSet<>(operation.sql().parameters())));
        } else if (definition instanceof MongoConnectorDefinition mongo) {
            mongo.operations().forEach((name, operation) -> operations.put(name, operation.parameters()));
        } else if (definition instanceof RedisConnectorDefinition redis) {
            redis.operations().forEach((name, operation) -> operations.put(name, operation.parameters()));
        } else {
            throw new ConfigException(definition.name() + ": flows validate does not know the parameters of a "
                    + definition.getClass().getSimpleName());
        }
        return operations;
    }
}
