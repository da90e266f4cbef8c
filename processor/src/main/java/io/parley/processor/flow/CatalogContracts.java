package io.parley.processor.flow;

import io.parley.schemas.CatalogOperation;
import io.parley.schemas.ConnectorCatalog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;

/**
 * The start check of flows against the connector catalog the workers publish: a template that
 * reads a field of a call's result that the operation's response schema does not have would
 * always render nothing there. The same rule as {@code parley flows validate --connectors}
 * ({@link FlowRules#resultFields}), fed from the catalog records instead of the worker's files,
 * which the processor does not read. Pure: records and flows in, problems out.
 */
public final class CatalogContracts {

    private CatalogContracts() {
    }

    /**
     * The operations of catalog records as flows see them: each operation by the name a call gives
     * ({@code getOrder@v2}), and a versioned operation's default version also by its plain name.
     */
    public static ConnectorOperations operations(Collection<ConnectorCatalog> records) {
        Map<String, Map<String, Set<String>>> parameters = new LinkedHashMap<>();
        Map<String, Map<String, Set<String>>> resultFields = new LinkedHashMap<>();
        for (ConnectorCatalog record : records) {
            Map<String, Set<String>> params = new LinkedHashMap<>();
            Map<String, Set<String>> fields = new LinkedHashMap<>();
            for (CatalogOperation operation : record.getOperations()) {
                List<String> names = operation.getIsDefault() ? List.of(operation.getName(), operation.getOperation())
                        : List.of(operation.getName());
                for (String name : names) {
                    params.put(name, Set.copyOf(operation.getParameters()));
                    if (operation.getResultFields() != null) {
                        fields.put(name, Set.copyOf(operation.getResultFields()));
                    }
                }
            }
            parameters.put(record.getConnector(), params);
            resultFields.put(record.getConnector(), fields);
        }
        return new ConnectorOperations(parameters, resultFields);
    }

    /** Every template of the flows that reads a result field the response schema of its call's operation lacks. */
    public static List<ConfigException> resultFieldProblems(FlowCatalog flows, ConnectorOperations operations) {
        List<ConfigException> problems = new ArrayList<>();
        for (IntentDefinition intent : flows.intents()) {
            problems.addAll(FlowRules.resultFields(intent, operations));
        }
        return problems;
    }

    /** The connectors the flows call that the catalog does not describe (their templates go unchecked). */
    public static Set<String> undescribedConnectors(FlowCatalog flows, ConnectorOperations operations) {
        Set<String> missing = new TreeSet<>();
        for (IntentDefinition intent : flows.intents()) {
            intent.steps().forEach(step -> step.calls().forEach(call -> {
                if (!operations.operations().containsKey(call.connector())) {
                    missing.add(call.connector());
                }
            }));
        }
        return missing;
    }
}
