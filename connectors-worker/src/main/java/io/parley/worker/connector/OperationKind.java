package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The skeleton of every connector kind made of named operations. What is the same for all kinds
 * is here and in what it uses: the common keys ({@link ConnectorSettings}: type, operations,
 * timeouts, retry, circuit breaker, rate limit, concurrency, response limit, versions) are read
 * before {@link #parse} is called, {@link #operations} reads every operation (versions
 * included) with the kind's operation parser, and {@link #create} builds the
 * {@link OperationConnector} (cache, {@link CallPolicy}, metrics, unknown operations, deadlines).
 * A kind writes what is different: its own keys ({@link #keys}), how its entry and one operation are
 * read ({@link #parse}), and what a call needs ({@link #open}: a client or pool, and how an
 * operation is made from its definition).
 *
 * @param <D> the kind's connector definition
 * @param <O> the kind's operation definition
 */
public abstract class OperationKind<D extends OperationConnectorDefinition<O>, O extends OperationDefinition>
        implements ConnectorKind<D> {

    /**
     * What the kind's operations call through.
     *
     * @param operations makes an operation ready to call from its definition
     * @param resources closed with the connector (HTTP transport, connection pool, client)
     */
    public record Backend<O>(Function<O, Operation> operations, AutoCloseable resources) {
    }

    /** Opens what the operations call through; nothing that connects yet (a backend may start after the worker). */
    protected abstract Backend<O> open(D definition, ConnectorEnvironment environment);

    /**
     * Reads every operation of the entry (each version of a versioned one as {@code name@version})
     * with the kind's parser, which throws errors naming the file, connector, operation and field.
     */
    protected final Map<String, O> operations(ConfigSection connector, BiFunction<String, ConfigSection, O> parser) {
        Map<String, O> operations = new LinkedHashMap<>();
        OperationVersions.operations(connector).forEach((name, operation) -> operations.put(name, parser.apply(name, operation)));
        return operations;
    }

    @Override
    public final Connector create(D definition, ConnectorEnvironment environment) {
        Backend<O> backend = open(definition, environment);
        Map<String, Operation> operations = new LinkedHashMap<>();
        definition.operations().forEach((name, operation) -> operations.put(name, backend.operations().apply(operation)));
        return new OperationConnector(definition.settings(), operations, environment, backend.resources());
    }
}
