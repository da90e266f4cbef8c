package io.parley.processor.ops;

import io.parley.processor.topology.StoreNames;
import io.parley.runtime.AdminServer;
import io.parley.runtime.PathSegment;
import io.parley.runtime.access.Caller;
import io.parley.runtime.http.HttpCall;
import io.parley.runtime.http.HttpReply;
import io.parley.schemas.state.Session;
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
public final class SessionLookupHandler implements AdminServer.Route {

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
    public HttpReply handle(HttpCall call, Optional<Caller> caller) {
        if (!"GET".equals(call.method())) {
            return json(405, "{\"error\":\"only GET is supported\"}").withHeader("Allow", "GET");
        }
        // One path segment: a raw '/' is another segment, an id's own '/' arrives as %2F.
        String raw = call.path().substring(PATH.length());
        if (raw.isEmpty() || raw.contains("/")) {
            return json(404, "{\"error\":\"use /sessions/{conversationId}\"}");
        }
        Optional<String> decoded = PathSegment.decode(raw);
        if (decoded.isEmpty()) {
            return json(400, "{\"error\":\"the conversation id is not a valid percent-encoded UTF-8 path segment\"}");
        }
        String conversationId = decoded.get();
        HostInfo host = activeHost(conversationId);
        if (host != null) {
            return json(421, "{\"error\":\"the session is kept by another instance\",\"host\":\""
                    + host.host() + ":" + host.port() + "\"}");
        }
        Session session;
        try {
            ReadOnlyKeyValueStore<String, Session> sessions = streams.store(
                    StoreQueryParameters.fromNameAndType(StoreNames.SESSIONS, QueryableStoreTypes.keyValueStore()));
            session = sessions.get(conversationId);
        } catch (InvalidStateStoreException e) {
            return json(503, "{\"error\":\"sessions are not available yet (the processor is starting or rebalancing)\"}");
        }
        if (session == null) {
            return json(404, "{\"error\":\"no session for this conversation\"}");
        }
        return json(200, SessionJson.write(session));
    }

    private static HttpReply json(int status, String body) {
        return HttpReply.text(status, JSON, body);
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
