package io.parley.worker.jdbc;

import io.parley.worker.connector.OperationDefinition;
import io.parley.runtime.config.ConfigSection;

import io.parley.worker.connector.ResponseMapping;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One operation of a JDBC connector: a fixed SQL statement with named parameters.
 *
 * @param name the name requests use
 * @param sql the statement
 * @param kind {@code query} (SELECT, answered with rows) or {@code update} (INSERT/UPDATE/DELETE,
 *     answered {@code {"updated": n}} and applied once per request id)
 * @param result for queries: {@code rows} (a JSON array) or {@code row} (one object; none is NOT_FOUND)
 * @param parameterTypes the SQL type of each named parameter (string unless declared)
 * @param response how the result is mapped
 * @param cacheTtl how long OK answers are cached (queries only)
 * @param maxRows the most rows a {@code rows} result holds
 */
public record JdbcOperationDefinition(String name, NamedSql sql, Kind kind, ResultShape result,
                                      Map<String, SqlParameterType> parameterTypes, ResponseMapping response,
                                      Optional<Duration> cacheTtl, int maxRows) implements OperationDefinition {

    public static final String SQL = "sql";
    public static final String KIND = "kind";
    public static final String RESULT = "result";
    public static final String PARAMS = "params";
    public static final String RESPONSE = "response";
    public static final String CACHE_TTL = OperationDefinition.CACHE_TTL;
    public static final String MAX_ROWS = "maxRows";

    /** Whether a statement reads or writes. */
    public enum Kind { QUERY, UPDATE }

    /** The shape of a query's result. */
    public enum ResultShape { ROWS, ROW }

    private static final Set<String> QUERY_KEYWORDS = Set.of("SELECT", "WITH", "VALUES", "TABLE");
    private static final Set<String> UPDATE_KEYWORDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE");

    public static JdbcOperationDefinition from(String name, ConfigSection operation) {
        operation.allowOnly(SQL, KIND, RESULT, PARAMS, RESPONSE, CACHE_TTL, MAX_ROWS);
        NamedSql sql;
        try {
            sql = NamedSql.parse(operation.requiredString(SQL));
        } catch (IllegalArgumentException e) {
            throw operation.error(SQL, e.getMessage());
        }
        String keyword = sql.firstKeyword();
        Kind kind = operation.enumValue(KIND, Kind.class).orElseGet(() -> {
            if (QUERY_KEYWORDS.contains(keyword)) {
                return Kind.QUERY;
            }
            if (UPDATE_KEYWORDS.contains(keyword)) {
                return Kind.UPDATE;
            }
            throw operation.error(SQL, "cannot tell whether a statement starting with '" + keyword
                    + "' reads or writes; set kind: query or kind: update");
        });
        Map<String, SqlParameterType> types = new LinkedHashMap<>();
        operation.object(PARAMS).ifPresent(section -> section.keys().forEach(parameter -> {
            if (!sql.parameters().contains(parameter)) {
                throw section.error(parameter, "the statement has no parameter :" + parameter);
            }
            types.put(parameter, section.enumValue(parameter, SqlParameterType.class).orElseThrow());
        }));
        sql.parameters().forEach(parameter -> types.putIfAbsent(parameter, SqlParameterType.STRING));
        Optional<Duration> cacheTtl = OperationDefinition.cacheTtl(operation, kind == Kind.QUERY, "only queries may be cached, not updates");
        if (kind == Kind.UPDATE && operation.has(RESULT)) {
            throw operation.error(RESULT, "updates are answered {\"updated\": n}; result applies to queries");
        }
        return new JdbcOperationDefinition(name, sql, kind,
                operation.enumValue(RESULT, ResultShape.class).orElse(ResultShape.ROWS),
                Map.copyOf(types), ResponseMapping.from(operation.object(RESPONSE)), cacheTtl,
                operation.intValue(MAX_ROWS, 1000, 1, 100_000));
    }
}
