package io.parley.worker;

import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.ConnectorKind;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.OperationVersions;
import io.parley.worker.connector.ConnectorType;
import io.parley.worker.connector.ParsedConnector;
import io.parley.worker.graphql.GraphQlConnectorKind;
import io.parley.worker.http.HttpConnectorKind;
import io.parley.worker.jdbc.JdbcConnectorKind;
import io.parley.worker.llm.LlmConnectorKind;
import io.parley.worker.mongodb.MongoConnectorKind;
import io.parley.worker.redis.RedisConnectorKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads connector files: a top-level {@code connectors:} list whose entries have a {@code name},
 * a {@code type} ({@code http}, {@code graphql}, {@code jdbc}, {@code redis}, {@code mongodb}, {@code llm}) and that type's settings. Every
 * entry is validated and its secrets resolved before anything starts; errors name the file, the
 * connector, the operation and the field.
 */
public final class ConnectorFiles {

    public static final String CONNECTORS = "connectors";

    private static final Map<ConnectorType, ConnectorKind<?>> KINDS = kinds();

    private ConnectorFiles() {
    }

    private static Map<ConnectorType, ConnectorKind<?>> kinds() {
        Map<ConnectorType, ConnectorKind<?>> kinds = new EnumMap<>(ConnectorType.class);
        for (ConnectorKind<?> kind : List.of(new HttpConnectorKind(), new GraphQlConnectorKind(), new JdbcConnectorKind(),
                new RedisConnectorKind(), new MongoConnectorKind(), new LlmConnectorKind())) {
            kinds.put(kind.type(), kind);
        }
        return kinds;
    }

    /**
     * Reads and validates connector files.
     *
     * @throws ConfigException at the first problem, naming where it is
     */
    public static List<ParsedConnector<?>> read(List<ConfigSection> files, ConfigVariables variables) {
        Checked checked = check(files, variables);
        if (!checked.problems().isEmpty()) {
            throw checked.problems().get(0);
        }
        return checked.connectors();
    }

    /**
     * Reads and validates connector files, collecting every problem instead of stopping at the first:
     * one per file-level mistake, one per connector entry (its first), one per duplicate name.
     * {@link #read} is this, failing on the first problem.
     */
    public static Checked check(List<ConfigSection> files, ConfigVariables variables) {
        Map<String, ParsedConnector<?>> byName = new LinkedHashMap<>();
        List<ConfigException> problems = new ArrayList<>();
        for (ConfigSection file : files) {
            List<ConfigSection> entries;
            try {
                file.allowOnly(CONNECTORS);
                entries = file.objectList(CONNECTORS, item -> item.path(ConnectorSettings.NAME).asText(null));
                if (entries.isEmpty()) {
                    throw file.error(CONNECTORS, "lists no connectors");
                }
            } catch (ConfigException e) {
                problems.add(e);
                continue;
            }
            for (ConfigSection entry : entries) {
                ParsedConnector<?> connector;
                try {
                    connector = parse(entry, KINDS.get(type(entry)), variables, file.where());
                } catch (ConfigException e) {
                    problems.add(e);
                    continue;
                }
                ParsedConnector<?> earlier = byName.putIfAbsent(connector.name(), connector);
                if (earlier != null) {
                    problems.add(entry.error(ConnectorSettings.NAME, "the connector name '" + connector.name()
                            + "' is already used in " + earlier.file()));
                }
            }
        }
        return new Checked(List.copyOf(byName.values()), List.copyOf(problems));
    }

    /**
     * What {@link #check} found: the connectors that are valid and every problem, each naming its
     * file, connector, operation and field.
     */
    public record Checked(List<ParsedConnector<?>> connectors, List<ConfigException> problems) {
    }

    private static ConnectorType type(ConfigSection entry) {
        return entry.enumValue(ConnectorSettings.TYPE, ConnectorType.class)
                .orElseThrow(() -> entry.error(ConnectorSettings.TYPE, "is required (http, graphql, jdbc, redis, mongodb or llm)"));
    }

    private static <D extends ConnectorDefinition> ParsedConnector<D> parse(ConfigSection entry, ConnectorKind<D> kind,
                                                                             ConfigVariables variables, String file) {
        List<String> keys = new ArrayList<>(ConnectorSettings.KEYS);
        keys.addAll(kind.keys());
        entry.allowOnly(keys.toArray(String[]::new));
        ConnectorSettings settings = ConnectorSettings.from(entry, kind.type());
        if (OperationVersions.operations(entry).isEmpty()) {
            throw entry.error(ConnectorSettings.OPERATIONS, "at least one operation is required");
        }
        D definition = kind.parse(entry, settings, variables);
        return new ParsedConnector<>(kind, definition, file, entry.tree());
    }

}
