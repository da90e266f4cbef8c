package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import java.util.List;

/**
 * One type of connector: how its entries are read from a connector file, and how a connector is
 * built from a definition. Reading validates everything and resolves secrets; building opens no
 * connection that could fail the start (pools connect lazily).
 *
 * @param <D> the type's definition
 */
public interface ConnectorKind<D extends ConnectorDefinition> {

    ConnectorType type();

    /** The keys this type adds to {@link ConnectorSettings#KEYS}. */
    List<String> keys();

    /**
     * Reads and validates a connector entry.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the file, connector, operation and field
     */
    D parse(ConfigSection connector, ConnectorSettings settings, ConfigVariables variables);

    Connector create(D definition, ConnectorEnvironment environment);
}
