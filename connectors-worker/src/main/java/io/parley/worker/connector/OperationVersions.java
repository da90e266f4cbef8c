package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads a connector's {@code operations:} section, where an operation is either one definition or
 * several versions of it against successive versions of the backend's API:
 * <pre>
 * operations:
 *   getOrder:
 *     default: v1          # what a flow that names plain getOrder calls
 *     versions:
 *       v1: {path: /v1/orders/{orderId}}
 *       v2: {path: /v2/orders/{orderId}}
 * </pre>
 * Each version is a complete operation of the connector's type, named {@code getOrder@v1},
 * {@code getOrder@v2}; a flow pins one with {@code operation: getOrder@v2}. A plain {@code getOrder}
 * calls the {@code default} version, which must be named: adding a version never moves the flows
 * that did not ask for it.
 */
public final class OperationVersions {

    public static final String VERSIONS = "versions";
    public static final String DEFAULT = "default";
    public static final char SEPARATOR = '@';

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private OperationVersions() {
    }

    /**
     * Every operation of the connector entry by the name requests use: a plain operation under its
     * name, each version of a versioned one as {@code name@version}.
     *
     * @throws ConfigException naming the file, connector, operation and field
     */
    public static Map<String, ConfigSection> operations(ConfigSection connector) {
        Map<String, ConfigSection> operations = new LinkedHashMap<>();
        connector.namedObjects(ConnectorSettings.OPERATIONS).forEach((name, operation) -> {
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException(operation.where() + ": '" + name + "' is not a valid operation name (letters, digits,"
                        + " '_', '.', '-'; a version is written under '" + VERSIONS + ":', not as name@version)");
            }
            if (!operation.has(VERSIONS)) {
                operations.put(name, operation);
                return;
            }
            operation.allowOnly(VERSIONS, DEFAULT);
            Map<String, ConfigSection> versions = operation.namedObjects(VERSIONS);
            if (versions.isEmpty()) {
                throw operation.error(VERSIONS, "list at least one version");
            }
            versions.forEach((version, definition) -> {
                if (!NAME.matcher(version).matches()) {
                    throw new ConfigException(definition.where() + ": '" + version
                            + "' is not a valid version name (letters, digits, '_', '.', '-')");
                }
                operations.put(name + SEPARATOR + version, definition);
            });
            defaultVersion(operation, versions.keySet());
        });
        return operations;
    }

    /**
     * The version a plain name calls, for each versioned operation: {@code getOrder} → {@code getOrder@v1}.
     *
     * @throws ConfigException naming the file, connector, operation and field
     */
    public static Map<String, String> defaults(ConfigSection connector) {
        operations(connector); // names and versions checked first, so the first problem is the one reported
        Map<String, String> defaults = new LinkedHashMap<>();
        connector.namedObjects(ConnectorSettings.OPERATIONS).forEach((name, operation) -> {
            if (operation.has(VERSIONS)) {
                defaults.put(name, name + SEPARATOR + defaultVersion(operation, operation.namedObjects(VERSIONS).keySet()));
            }
        });
        return defaults;
    }

    private static String defaultVersion(ConfigSection operation, Set<String> versions) {
        String chosen = operation.string(DEFAULT).orElseThrow(() -> operation.error(DEFAULT,
                "is required with versions: name the version a call without @version gets (one of " + versions + ")"));
        if (!versions.contains(chosen)) {
            throw operation.error(DEFAULT, "'" + chosen + "' is not one of the versions " + versions);
        }
        return chosen;
    }
}
