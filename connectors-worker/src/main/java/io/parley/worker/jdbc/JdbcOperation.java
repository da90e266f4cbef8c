package io.parley.worker.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptContext;
import io.parley.worker.connector.AttemptFailedException;
import io.parley.worker.connector.AttemptOutcome;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.FailureClassifier;
import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.DefinedOperation;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JDBC operation ready to call. Parameters are converted to their declared types and bound to
 * the configured statement; queries answer rows (or one row), updates answer
 * {@code {"updated": n}} and are recorded in the {@link Inbox} in the same transaction, so a
 * request id is applied once whatever the number of deliveries.
 */
final class JdbcOperation extends DefinedOperation<JdbcOperationDefinition> {

    private final String connector;
    private final JdbcPool pool;
    private final Inbox inbox;
    private final InboxPurge purge;
    private final long maxResponseBytes;

    JdbcOperation(String connector, JdbcOperationDefinition definition, JdbcPool pool, Inbox inbox, InboxPurge purge,
                  long maxResponseBytes) {
        super(definition);
        this.connector = connector;
        this.pool = pool;
        this.inbox = inbox;
        this.purge = purge;
        this.maxResponseBytes = maxResponseBytes;
    }

    @Override
    public PreparedCall prepare(Map<String, String> params, String requestId) throws InvalidRequestException {
        List<String> names = definition.sql().parameters();
        Object[] values = new Object[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String value = params.get(name);
            if (value == null) {
                throw new InvalidRequestException("missing parameter '" + name + "'");
            }
            values[i] = definition.parameterTypes().get(name).convert(name, value);
        }
        return context -> {
            try {
                return definition.kind() == JdbcOperationDefinition.Kind.QUERY
                        ? query(values, context)
                        : updateThenPurge(values, requestId, context);
            } catch (SQLException e) {
                return FailureClassifier.classify(e);
            } catch (AttemptFailedException e) {
                return e.failure();
            }
        };
    }

    private AttemptOutcome query(Object[] values, AttemptContext context) throws SQLException, AttemptFailedException {
        boolean single = definition.result() == JdbcOperationDefinition.ResultShape.ROW;
        ArrayNode rows;
        try (Connection connection = pool.connection(context);
             PreparedStatement statement = prepare(connection, values, context)) {
            // Two rows are enough to tell that a single-row query matched several.
            statement.setMaxRows(single ? 2 : definition.maxRows());
            context.countCall();
            try (ResultSet resultSet = statement.executeQuery()) {
                rows = RowsToJson.read(resultSet);
            }
        }
        if (!single) {
            return mapped(rows);
        }
        if (rows.isEmpty()) {
            return Failure.permanent(BackendStatus.NOT_FOUND, "no row matched");
        }
        if (rows.size() > 1) {
            return Failure.permanent(BackendStatus.REJECTED, "the query matched more than one row; expected one");
        }
        return mapped(rows.get(0));
    }

    private AttemptOutcome updateThenPurge(Object[] values, String requestId, AttemptContext context)
            throws SQLException, AttemptFailedException {
        AttemptOutcome outcome = update(values, requestId, context);
        // Old inbox rows go in the background, in batches: this call does not wait for it.
        purge.startIfDue();
        return outcome;
    }

    private AttemptOutcome update(Object[] values, String requestId, AttemptContext context)
            throws SQLException, AttemptFailedException {
        try (Connection connection = pool.connection(context)) {
            inbox.ensureTable(connection);
            connection.setAutoCommit(false);
            try {
                Optional<String> applied = inbox.find(connection, requestId);
                if (applied.isPresent()) {
                    connection.commit();
                    return recorded(applied.get());
                }
                int updated;
                try (PreparedStatement statement = prepare(connection, values, context)) {
                    context.countCall();
                    updated = statement.executeUpdate();
                }
                JsonNode result = JsonNodeFactory.instance.objectNode().put("updated", updated);
                inbox.record(connection, requestId, connector, definition.name(), JsonText.write(result));
                connection.commit();
                return definition.response().apply(result);
            } catch (SQLException e) {
                connection.rollback();
                if (Inbox.isDuplicate(e)) {
                    // Another delivery of the same request committed first: give its answer.
                    Optional<String> applied = inbox.find(connection, requestId);
                    connection.commit();
                    if (applied.isPresent()) {
                        return recorded(applied.get());
                    }
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private PreparedStatement prepare(Connection connection, Object[] values, AttemptContext context) throws SQLException {
        // The statement text is always the configured one; request values are only bound.
        PreparedStatement statement = connection.prepareStatement(definition.sql().jdbc());
        try {
            List<String> names = definition.sql().parameters();
            for (int i = 0; i < values.length; i++) {
                definition.parameterTypes().get(names.get(i)).bind(statement, i + 1, values[i]);
            }
            statement.setQueryTimeout((int) Math.max(1, (context.timeout().toMillis() + 999) / 1000));
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private AttemptOutcome mapped(JsonNode result) {
        return definition.response().applyWithin(result, maxResponseBytes);
    }

    private AttemptOutcome recorded(String stored) {
        try {
            return definition.response().apply(JsonText.MAPPER.readTree(stored));
        } catch (IOException e) {
            return Failure.permanent(BackendStatus.SERVER_ERROR, "the inbox holds an unreadable answer");
        }
    }
}
