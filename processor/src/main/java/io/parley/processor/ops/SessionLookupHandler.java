package io.parley.processor.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.parley.processor.topology.StoreNames;
import io.parley.runtime.AdminServer;
import io.parley.runtime.PathSegment;
import io.parley.schemas.state.Session;
import java.io.IOException;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /sessions/{conversationId}}: the session of a conversation, in clear, read from the
 * {@code sessions} store by interactive query. Sessions hold personal data, so the admin server
 * routes here only callers with the operator role (401 without a credential, 403 for a viewer;
 * see {@link io.parley.runtime.access.AccessControl}). A session kept by another instance is
 * answered 421 with that instance's {@code application.server}.
 */
public final class SessionLookupHandler implements HttpHandler {

    /** The route prefix. */
    public static final String PATH = "/sessions/";

    private static final String JSON = "application/json";

    private final KafkaStreams streams;
    private final HostInfo self;

    /**
     * @param self this instance's {@code application.server}, or {@code null} when not set
     */
    public SessionLookupHandler(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET");
            AdminServer.respond(exchange, 405, JSON, "{\"error\":\"only GET is supported\"}");
            return;
        }
        // One path segment: a raw '/' is another segment, an id's own '/' arrives as %2F.
        String raw = exchange.getRequestURI().getRawPath().substring(PATH.length());
        if (raw.isEmpty() || raw.contains("/")) {
            AdminServer.respond(exchange, 404, JSON, "{\"error\":\"use /sessions/{conversationId}\"}");
            return;
        }
        Optional<String> decoded = PathSegment.decode(raw);
        if (decoded.isEmpty()) {
            AdminServer.respond(exchange, 400, JSON, "{\"error\":\"the conversation id is not a valid percent-encoded UTF-8 path segment\"}");
            return;
        }
        String conversationId = decoded.get();
        HostInfo host = activeHost(conversationId);
        if (host != null) {
            AdminServer.respond(exchange, 421, JSON, "{\"error\":\"the session is kept by another instance\",\"host\":\""
                    + host.host() + ":" + host.port() + "\"}");
            return;
        }
        Session session;
        try {
            ReadOnlyKeyValueStore<String, Session> sessions = streams.store(
                    StoreQueryParameters.fromNameAndType(StoreNames.SESSIONS, QueryableStoreTypes.keyValueStore()));
            session = sessions.get(conversationId);
        } catch (InvalidStateStoreException e) {
            AdminServer.respond(exchange, 503, JSON, "{\"error\":\"sessions are not available yet (the processor is starting or rebalancing)\"}");
            return;
        }
        if (session == null) {
            AdminServer.respond(exchange, 404, JSON, "{\"error\":\"no session for this conversation\"}");
            return;
        }
        AdminServer.respond(exchange, 200, JSON, SessionJson.write(session));
    }

    /** The instance keeping the conversation's session when that is not this one and it is known. */
    private HostInfo activeHost(String conversationId) {
        if (self == null) {
            return null;
        }
        KeyQueryMetadata metadata = streams.queryMetadataForKey(StoreNames.SESSIONS, conversationId, Serdes.String().serializer());
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost().equals(self)) {
            return null;
        }
        return metadata.activeHost();
    }
}
