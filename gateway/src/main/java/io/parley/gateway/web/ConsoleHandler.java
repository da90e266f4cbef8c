package io.parley.gateway.web;

import io.parley.gateway.console.AuditFeed;
import io.parley.gateway.console.ConnectorHealth;
import io.parley.gateway.console.FlowPicture;
import io.parley.runtime.Secret;
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
 * The console's data, behind the admin token ({@code Authorization: Bearer}):
 * {@code /console/api/conversations} (the live conversations from the audit stream) and
 * {@code /console/api/connectors} (connector health from the workers' metrics),
 * {@code /console/api/flows.svg} (the flows as a picture, drawn by a processor) and
 * {@code /console/api/live} (new audit entries, and {@code health} events with new connector
 * figures, as server-sent events). The page itself,
 * {@code /console}, holds no data and asks for the token.
 */
final class ConsoleHandler {

    private static final String NO_HEALTH = "{\"workers\":{\"reachable\":0,\"total\":0},\"connectors\":[]}";

    private final AuditFeed feed;
    private final Secret adminToken;
    private final ConnectorHealth health;
    private final FlowPicture flows;

    /**
     * @param health connector health from the workers' metrics; null when no worker is configured
     * @param flows the processors' picture of the flows; null when none is configured
     */
    ConsoleHandler(AuditFeed feed, Secret adminToken, ConnectorHealth health, FlowPicture flows) {
        this.feed = feed;
        this.adminToken = adminToken;
        this.health = health;
        this.flows = flows;
    }

    boolean handle(String path, Request request, Response response, Callback callback) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.startsWith("Bearer ") || !adminToken.matches(auth.substring(7).strip())) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            return GatewayServer.Pages.text(response, callback, HttpStatus.UNAUTHORIZED_401, "application/json",
                    "{\"error\":\"the admin token is missing or wrong\"}");
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
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
