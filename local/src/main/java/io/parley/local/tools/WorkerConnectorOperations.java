package io.parley.local.tools;

import io.parley.processor.flow.ConnectorOperations;
import io.parley.runtime.ConfigVariables;
import io.parley.worker.ConnectorFiles;
import io.parley.worker.OperationContracts;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.ParsedConnector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        return OperationContracts.resultFields(definition);
    }

    /** The placeholders each operation fills from a request's parameters. */
    static Map<String, Set<String>> parameters(ConnectorDefinition definition) {
        return OperationContracts.parameters(definition);
    }
}
