package io.parley.processor.conversation;

import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.reload.FlowVersions;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Picks the {@link ConversationEngine} of the flow version an input belongs to. The rule, the same on
 * every instance: an input of a turn in flight (an answer to its slot, a backend answer, its timers,
 * a late answer) is handled on the version the turn started with, as long as that version is kept;
 * anything else is handled on the newest version the processor has read. So a version becomes active
 * for a conversation at the first input that finds no turn in flight after the processor read it.
 */
public final class ConversationEngines {

    private final FlowVersions versions;
    private final Function<FlowCatalog, ConversationEngine> factory;
    private final Map<String, ConversationEngine> engines = new ConcurrentHashMap<>();

    /** @param factory makes the engine of a version (called once per version kept) */
    public ConversationEngines(FlowVersions versions, Function<FlowCatalog, ConversationEngine> factory) {
        this.versions = versions;
        this.factory = factory;
    }

    /** The engine of the newest version: for inputs of no turn. */
    public ConversationEngine newest() {
        FlowCatalog flows = versions.newest()
                .orElseThrow(() -> new IllegalStateException("no flow version has been loaded yet"));
        return engineOf(flows);
    }

    /** The engine for a chat event or the timers of a conversation: its turn's version, else the newest. */
    public ConversationEngine forSession(Session stored) {
        if (stored == null || stored.getTurn() == null) {
            return newest();
        }
        return forVersion(stored.getTurn().getFlowVersion());
    }

    /** The engine for a backend answer: the version of the turn (current or late) that sent the request. */
    public ConversationEngine forResponse(Session stored, BackendResponse response) {
        Optional<Turn> owner = Optional.ofNullable(stored.getTurn()).filter(turn -> sent(turn, response.getRequestId()));
        if (owner.isEmpty()) {
            owner = stored.getLateTurns().stream().filter(turn -> sent(turn, response.getRequestId())).findFirst();
        }
        return forVersion(owner.map(Turn::getFlowVersion).orElse(null));
    }

    private static boolean sent(Turn turn, String requestId) {
        return turn.getPending().stream().map(PendingCall::getRequestId).anyMatch(requestId::equals);
    }

    private ConversationEngine forVersion(String version) {
        // A turn of a version no longer kept (or stored before turns recorded one) goes on with the newest.
        return versions.find(version).map(this::engineOf).orElseGet(this::newest);
    }

    private ConversationEngine engineOf(FlowCatalog flows) {
        if (engines.size() > versions.kept().size()) {
            // Versions dropped from the kept ones no longer need their engines.
            engines.keySet().retainAll(versions.kept());
        }
        return engines.computeIfAbsent(flows.version(), version -> factory.apply(flows));
    }
}
