package io.parley.gateway.web;

import io.parley.gateway.console.AuditFeed;
import io.parley.gateway.console.ConnectorHealth;
import io.parley.gateway.console.FlowPicture;
import io.parley.gateway.console.OperatorActions;
import io.parley.runtime.access.AccessControl;
import io.parley.runtime.access.Caller;
import io.parley.runtime.access.Role;
import io.parley.runtime.access.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The console's data, behind role-based access ({@code Authorization: Bearer} with a configured
 * token or an OIDC JWT; viewers see everything below, operators may also act):
 * {@code /console/api/conversations} (the live conversations from the audit stream) and
 * {@code /console/api/connectors} (connector health from the workers' metrics),
 * {@code /console/api/flows.svg} (the flows as a picture, drawn by a processor) and
 * {@code /console/api/live} (new audit entries, and {@code health} events with new connector
 * figures, as server-sent events), {@code /console/api/me} (the caller's name and role, so the page
 * shows the operator buttons only to operators). Operators only: {@code POST /console/api/erase}
 * ({@code {"userId","conversationId","channel"}}) and {@code POST /console/api/replay}
 * ({@code {"topic","partition","offset"}}), see {@link OperatorActions}. The page itself,
 * {@code /console}, holds no data and asks for the token.
 */
final class ConsoleHandler {

    private static final String NO_HEALTH = "{\"workers\":{\"reachable\":0,\"total\":0},\"connectors\":[]}";

    private final AuditFeed feed;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 4096;

    private final AccessControl access;
    private final OperatorActions actions;
    private final ConnectorHealth health;
    private final FlowPicture flows;

    /**
     * @param health connector health from the workers' metrics; null when no worker is configured
     * @param flows the processors' picture of the flows; null when none is configured
     */
    ConsoleHandler(AuditFeed feed, AccessControl access, OperatorActions actions, ConnectorHealth health, FlowPicture flows) {
        this.feed = feed;
        this.access = access;
        this.actions = actions;
        this.health = health;
        this.flows = flows;
    }

    boolean handle(String path, Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Verdict verdict = access.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), Role.VIEWER);
        if (verdict instanceof Verdict.Refused refused) {
            if (refused.status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"parley-console\"");
            }
            return GatewayServer.Pages.text(response, callback, refused.status(), "application/json", refused.json());
        }
        Caller caller = ((Verdict.Allowed) verdict).caller();
        if (path.equals("/console/api/me")) {
            var me = JSON.createObjectNode().put("name", caller.name()).put("role", caller.role().label())
                    .put("actions", actions != null && caller.may(Role.OPERATOR));
            return GatewayServer.Pages.text(response, callback, HttpStatus.OK_200, "application/json", me.toString());
        }
        if (path.equals("/console/api/erase") || path.equals("/console/api/replay")) {
            return operatorAction(path.substring("/console/api/".length()), caller, request, response, callback);
        }
        if (path.equals("/console/api/conversations")) {
            return GatewayServer.Pages.text(response, callback, HttpStatus.OK_200, "application/json",
                    feed.log().snapshot().toString());
        }
        if (path.equals("/console/api/flows.svg")) {
            Optional<String> svg = flows == null ? Optional.empty() : flows.svg();
            if (svg.isEmpty()) {
                return GatewayServer.Pages.text(response, callback, HttpStatus.NOT_FOUND_404, "application/json",
                        flows == null ? "{\"error\":\"no flow picture configured (console.flowGraph)\"}"
                                : "{\"error\":\"the processor did not answer with its flow picture\"}");
            }
            // Our own SVG, still: shown as an image, where scripts never run, and sandboxed if opened directly.
            response.getHeaders().put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
            return GatewayServer.Pages.text(response, callback, HttpStatus.OK_200, "image/svg+xml; charset=utf-8", svg.get());
        }
        if (path.equals("/console/api/connectors")) {
            return GatewayServer.Pages.text(response, callback, HttpStatus.OK_200, "application/json",
                    health == null ? NO_HEALTH : health.latest());
        }
        if (path.equals("/console/api/live")) {
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            LiveStream stream = new LiveStream(response, callback);
            Runnable stopAudit = feed.listen(entry -> stream.send("data: " + entry + "\n\n"));
            Runnable stopHealth = health == null ? () -> { } : health.listen(figures -> stream.send("event: health\ndata: " + figures + "\n\n"));
            stream.onEnd(() -> {
                stopAudit.run();
                stopHealth.run();
            });
            request.addFailureListener(failure -> stream.end());
            stream.send(": live\n\n");
            return true;
        }
        return false;
    }

    private boolean operatorAction(String action, Caller caller, Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            return GatewayServer.Pages.text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "application/json",
                    "{\"error\":\"POST only\",\"status\":405}");
        }
        // Checked again for the operator role: the refusal is counted and audited.
        Verdict verdict = access.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), Role.OPERATOR);
        if (verdict instanceof Verdict.Refused refused) {
            if (actions != null) {
                actions.refused(caller, action);
            }
            return GatewayServer.Pages.text(response, callback, refused.status(), "application/json", refused.json());
        }
        if (actions == null) {
            return GatewayServer.Pages.text(response, callback, HttpStatus.NOT_FOUND_404, "application/json",
                    "{\"error\":\"operator actions are off\",\"status\":404}");
        }
        JsonNode body;
        try {
            String text = Content.Source.asString(request, StandardCharsets.UTF_8);
            if (text.length() > MAX_BODY) {
                return bad(response, callback, "the request body is larger than " + MAX_BODY + " characters");
            }
            body = JSON.readTree(text);
        } catch (IOException e) {
            return bad(response, callback, "the request body is not JSON");
        }
        if (body == null || !body.isObject()) {
            return bad(response, callback, "the request body must be a JSON object");
        }
        OperatorActions.Outcome outcome;
        if (action.equals("erase")) {
            String user = text(body, "userId");
            String conversation = text(body, "conversationId");
            if (user == null || conversation == null) {
                return bad(response, callback, "userId and conversationId are required");
            }
            String channel = text(body, "channel");
            outcome = actions.erase(caller, user, conversation, channel == null ? "web" : channel);
        } else {
            String topic = text(body, "topic");
            JsonNode partition = body.get("partition");
            JsonNode offset = body.get("offset");
            if (topic == null || partition == null || !partition.canConvertToInt() || partition.asInt() < 0
                    || offset == null || !offset.canConvertToLong() || offset.asLong() < 0) {
                return bad(response, callback, "topic, partition (integer >= 0) and offset (integer >= 0) are required");
            }
            outcome = actions.replay(caller, topic, partition.asInt(), offset.asLong());
        }
        return GatewayServer.Pages.text(response, callback, outcome.status(), "application/json", outcome.json());
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() || value.asText().length() > 512
                ? null : value.asText();
    }

    private static boolean bad(Response response, Callback callback, String reason) {
        return GatewayServer.Pages.text(response, callback, HttpStatus.BAD_REQUEST_400, "application/json",
                "{\"error\":\"" + escape(reason) + "\",\"status\":400}");
    }

    private static String escape(String text) {
        return JSON.getNodeFactory().textNode(text).toString().replaceAll("^\"|\"$", "");
    }

    /** One open console page: writes serialized (Jetty takes one pending write per response), bounded queue. */
    private static final class LiveStream {
        private final Response response;
        private final Callback done;
        private final Deque<String> queue = new ArrayDeque<>();
        private boolean writing;
        private boolean ended;
        private Runnable onEnd = () -> { };

        LiveStream(Response response, Callback done) {
            this.response = response;
            this.done = done;
        }

        synchronized void onEnd(Runnable action) {
            this.onEnd = action;
        }

        void send(String chunk) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                if (queue.size() > 1000) {
                    ended = true;
                } else {
                    queue.addLast(chunk);
                }
            }
            flush();
        }

        private void flush() {
            String next;
            synchronized (this) {
                if (writing) {
                    return;
                }
                if (ended) {
                    next = null;
                } else {
                    next = queue.pollFirst();
                    if (next == null) {
                        return;
                    }
                    writing = true;
                }
            }
            if (next == null) {
                end();
                return;
            }
            response.write(false, ByteBuffer.wrap(next.getBytes(StandardCharsets.UTF_8)), Callback.from(() -> {
                synchronized (this) {
                    writing = false;
                }
                flush();
            }, failure -> end()));
        }

        void end() {
            Runnable action;
            synchronized (this) {
                if (onEnd == null) {
                    return;
                }
                ended = true;
                action = onEnd;
                onEnd = null;
            }
            action.run();
            done.succeeded();
        }
    }
}
