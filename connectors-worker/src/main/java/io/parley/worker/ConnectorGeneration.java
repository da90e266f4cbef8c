package io.parley.worker;

import io.parley.worker.connector.Connector;
import io.parley.worker.connector.ParsedConnector;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded version of the connector definitions: the connectors built from it, and the calls
 * running on it. A call takes a lease for its whole duration, so that a generation replaced by a
 * reload ({@link #retire()}) closes only when its last call has finished: calls already started end
 * on the definitions they started with, and no call is answered by a mix of two versions.
 */
final class ConnectorGeneration {

    /** The lease count once the generation is closed: no lease can be taken any more. */
    private static final int CLOSED = -1;

    private final Map<String, Connector> connectors;
    private final List<Connectors.ResponseSizeSetting> ownResponseSizes;
    private final Connectors.Version version;
    private final List<ParsedConnector<?>> definitions;
    private final AtomicInteger leases = new AtomicInteger();
    private final AtomicBoolean retired = new AtomicBoolean();

    ConnectorGeneration(Map<String, Connector> connectors, List<Connectors.ResponseSizeSetting> ownResponseSizes,
                        Connectors.Version version, List<ParsedConnector<?>> definitions) {
        this.connectors = Map.copyOf(connectors);
        this.ownResponseSizes = List.copyOf(ownResponseSizes);
        this.version = version;
        this.definitions = List.copyOf(definitions);
    }

    /** The definitions the connectors were built from, in the order of the files (what the catalog describes). */
    List<ParsedConnector<?>> definitions() {
        return definitions;
    }

    Map<String, Connector> connectors() {
        return connectors;
    }

    List<Connectors.ResponseSizeSetting> ownResponseSizes() {
        return ownResponseSizes;
    }

    Connectors.Version version() {
        return version;
    }

    /** Takes a lease for one call; false when the generation has closed (the caller takes the current one instead). */
    boolean tryAcquire() {
        while (true) {
            int count = leases.get();
            if (count == CLOSED) {
                return false;
            }
            if (leases.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    /** Ends a call's lease; the last lease of a retired generation closes it. */
    void release() {
        if (leases.decrementAndGet() == 0 && retired.get()) {
            closeIfIdle();
        }
    }

    /** No new calls will come: closes now if none runs, else when the last one ends. */
    void retire() {
        retired.set(true);
        closeIfIdle();
    }

    /** Whether its connectors have been closed. */
    boolean isClosed() {
        return leases.get() == CLOSED;
    }

    /** Calls running on this generation. */
    int inFlight() {
        return Math.max(0, leases.get());
    }

    private void closeIfIdle() {
        // Only one of retire() and the last release() wins this exchange, so the connectors close once.
        if (leases.compareAndSet(0, CLOSED)) {
            connectors.values().forEach(Connector::close);
        }
    }
}
