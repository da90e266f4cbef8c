package io.parley.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A worker connector file read as plain YAML, to check the demo shop's connectors against the demo backends. */
final class ConnectorFile {

    /** docker-compose's connector file, from the module folder Maven runs tests in. */
    static final Path COMPOSE_FILE = Path.of("..", "deploy", "connectors.yaml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NAMED_PARAMETER = Pattern.compile(":([A-Za-z][A-Za-z0-9_]*)");

    private final JsonNode root;

    private ConnectorFile(JsonNode root) {
        this.root = root;
    }

    static ConnectorFile parse(String yaml) {
        try {
            return new ConnectorFile(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConnectorFile compose() {
        try {
            return parse(Files.readString(COMPOSE_FILE, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode connector(String name) {
        for (JsonNode connector : root.get("connectors")) {
            if (connector.get("name").asText().equals(name)) {
                return connector;
            }
        }
        throw new IllegalArgumentException("no connector " + name);
    }

    JsonNode operations(String connector) {
        return connector(connector).get("operations");
    }

    /**
     * Runs a {@code result: row} SQL operation with its named parameters bound, the way the jdbc
     * connector does, and answers the row by column label.
     */
    Optional<Map<String, String>> row(Connection connection, String connector, String operation, Map<String, String> params)
            throws SQLException {
        String sql = operations(connector).get(operation).get("sql").asText();
        List<String> names = new ArrayList<>();
        Matcher matcher = NAMED_PARAMETER.matcher(sql);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        try (PreparedStatement statement = connection.prepareStatement(matcher.replaceAll("?"))) {
            for (int i = 0; i < names.size(); i++) {
                statement.setString(i + 1, params.get(names.get(i)));
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                ResultSetMetaData meta = rows.getMetaData();
                Map<String, String> row = new LinkedHashMap<>();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    row.put(meta.getColumnLabel(column), rows.getString(column));
                }
                return Optional.of(row);
            }
        }
    }
}
