package io.parley.worker.graphql;

import io.parley.worker.connector.OperationDefinition;
import io.parley.runtime.config.ConfigSection;

import io.parley.worker.connector.JsonTemplate;
import io.parley.worker.connector.ResponseMapping;
import java.time.Duration;
import java.util.Optional;

/**
 * One operation of a GraphQL connector: a fixed query document, its variables (a JSON template
 * filled from the request's parameters) and the mapping of the answer's {@code data}.
 *
 * @param name the name requests use
 * @param query the GraphQL document, sent as written
 * @param variables the variables template, if the query takes variables
 * @param operationName which operation of the document to run, when it holds several
 * @param response how {@code data} is mapped (pointers are relative to {@code data})
 * @param cacheTtl how long OK answers are cached (queries only, never mutations)
 */
public record GraphQlOperationDefinition(String name, String query, Optional<JsonTemplate> variables,
                                         Optional<String> operationName, ResponseMapping response,
                                         Optional<Duration> cacheTtl) implements OperationDefinition {

    public static final String QUERY = "query";
    public static final String VARIABLES = "variables";
    public static final String OPERATION_NAME = "operationName";
    public static final String RESPONSE = "response";
    public static final String CACHE_TTL = OperationDefinition.CACHE_TTL;

    public static GraphQlOperationDefinition from(String name, ConfigSection operation) {
        operation.allowOnly(QUERY, VARIABLES, OPERATION_NAME, RESPONSE, CACHE_TTL);
        String query = operation.requiredString(QUERY);
        Optional<JsonTemplate> variables = Optional.empty();
        if (operation.has(VARIABLES)) {
            if (!operation.raw(VARIABLES).isObject()) {
                throw operation.error(VARIABLES, "must be a mapping of variable names to values");
            }
            try {
                variables = Optional.of(JsonTemplate.of(operation.raw(VARIABLES)));
            } catch (IllegalArgumentException e) {
                throw operation.error(VARIABLES, e.getMessage());
            }
        }
        Optional<Duration> cacheTtl = OperationDefinition.cacheTtl(operation, isQuery(query), "only queries may be cached, not mutations or subscriptions");
        return new GraphQlOperationDefinition(name, query, variables, operation.string(OPERATION_NAME),
                ResponseMapping.from(operation.object(RESPONSE)), cacheTtl);
    }

    /** Whether the document is a query: shorthand {@code { ... }} or {@code query ...}. */
    static boolean isQuery(String document) {
        String text = document.replaceAll("(?m)#.*$", "").strip();
        return text.startsWith("{") || text.startsWith("query");
    }
}
