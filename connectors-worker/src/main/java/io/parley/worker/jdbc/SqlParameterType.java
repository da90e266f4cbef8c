package io.parley.worker.jdbc;

import io.parley.worker.connector.InvalidRequestException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The SQL type a request parameter (always a string) is converted to before it is bound, so a
 * {@code WHERE id = :orderId} on an integer column works on every database.
 */
public enum SqlParameterType {
    STRING, INTEGER, DECIMAL, BOOLEAN, DATE, TIMESTAMP;

    /** Converts a request value; the error names the parameter, never the value. */
    public Object convert(String name, String value) throws InvalidRequestException {
        try {
            return switch (this) {
                case STRING -> value;
                case INTEGER -> Long.parseLong(value.trim());
                case DECIMAL -> new BigDecimal(value.trim());
                case BOOLEAN -> switch (value.trim().toLowerCase(Locale.ROOT)) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new NumberFormatException();
                };
                case DATE -> LocalDate.parse(value.trim());
                case TIMESTAMP -> LocalDateTime.parse(value.trim());
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new InvalidRequestException("parameter '" + name + "' is not a valid " + name().toLowerCase(Locale.ROOT));
        }
    }

    /** Binds a converted value. */
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        switch (this) {
            case STRING -> statement.setString(index, (String) value);
            case INTEGER -> statement.setLong(index, (Long) value);
            case DECIMAL -> statement.setBigDecimal(index, (BigDecimal) value);
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case DATE, TIMESTAMP -> statement.setObject(index, value);
        }
    }
}
