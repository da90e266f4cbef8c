package io.parley.worker.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.worker.connector.JsonText;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.Locale;

/**
 * Rows of a result set as JSON objects keyed by column label. Labels that the database folded to
 * upper case (H2 does so for unquoted names; PostgreSQL folds to lower case) are written in lower
 * case, so the same query gives the same keys on both; a quoted alias such as {@code AS "trackingId"}
 * keeps its case.
 */
final class RowsToJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RowsToJson() {
    }

    static ArrayNode read(ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        int columns = meta.getColumnCount();
        String[] labels = new String[columns];
        for (int i = 1; i <= columns; i++) {
            labels[i - 1] = key(meta.getColumnLabel(i));
        }
        ArrayNode array = JSON.arrayNode();
        while (rows.next()) {
            ObjectNode row = JSON.objectNode();
            for (int i = 1; i <= columns; i++) {
                row.set(labels[i - 1], value(rows.getObject(i), meta.getColumnTypeName(i)));
            }
            array.add(row);
        }
        return array;
    }

    private static String key(String label) {
        boolean folded = label.chars().anyMatch(Character::isLetter) && label.equals(label.toUpperCase(Locale.ROOT));
        return folded ? label.toLowerCase(Locale.ROOT) : label;
    }

    private static JsonNode value(Object value, String typeName) {
        if (value == null) {
            return JSON.nullNode();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return JSON.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigDecimal decimal) {
            return JSON.numberNode(decimal);
        }
        if (value instanceof BigInteger integer) {
            return JSON.numberNode(integer);
        }
        if (value instanceof Double || value instanceof Float) {
            return JSON.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof Boolean bool) {
            return JSON.booleanNode(bool);
        }
        if (value instanceof java.sql.Date date) {
            return JSON.textNode(date.toLocalDate().toString());
        }
        if (value instanceof Timestamp timestamp) {
            return JSON.textNode(timestamp.toLocalDateTime().toString());
        }
        if (value instanceof byte[] bytes) {
            return JSON.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        String text = value.toString();
        if (typeName != null && typeName.toLowerCase(Locale.ROOT).startsWith("json")) {
            try {
                return JsonText.MAPPER.readTree(text);
            } catch (IOException e) {
                return JSON.textNode(text);
            }
        }
        return JSON.textNode(text);
    }
}
