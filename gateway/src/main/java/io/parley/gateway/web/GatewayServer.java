package io.parley.gateway.web;

import io.parley.gateway.auth.DemoTokens;
import io.parley.gateway.channels.ChannelsHandler;
import io.parley.gateway.chat.ChatSession;
import io.parley.gateway.console.AuditFeed;
import io.parley.gateway.console.ConnectorHealth;
import io.parley.gateway.console.FlowPicture;
import io.parley.gateway.console.OperatorActions;
import io.parley.runtime.access.AccessControl;
import io.parley.runtime.http.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The gateway's HTTP server (Jetty 12, core handlers): the web chat WebSocket at {@code /chat/ws},
 * the widget's script and stylesheet under {@code /widget/}, a demo page at {@code /chat}, demo
 * tokens at {@code /demo/token} (local mode only) and {@code /health/live}.
 */
public final class GatewayServer implements AutoCloseable {

    /** Served to every page: scripts, styles and sockets from this origin only, nothing inline. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    private static final Map<String, String> ASSETS = Map.of(
            "/widget/parley-chat.js", "text/javascript; charset=utf-8",
            "/widget/parley-chat.css", "text/css; charset=utf-8",
            "/widget/demo.js", "text/javascript; charset=utf-8",
            "/chat", "text/html; charset=utf-8",
            "/console", "text/html; charset=utf-8",
            "/console/console.js", "text/javascript; charset=utf-8");
    private static final Set<String> DEMO_ONLY = Set.of("/chat", "/widget/demo.js");
    private static final Set<String> CONSOLE_ONLY = Set.of("/console", "/console/console.js");

    private final WebServer server;
    private final SseStreams sse;

    /**
     * @param demoTokens signs tokens for {@code demoUsers} at {@code /demo/token}; null outside local mode
     */
    public GatewayServer(String host, int port, ChatSession.Services services, DemoTokens demoTokens,
                         Set<String> demoUsers, int maxMessageChars, AuditFeed consoleFeed, AccessControl consoleAccess,
                         ConnectorHealth connectorHealth, FlowPicture flowPicture) {
        this(host, port, services, demoTokens, demoUsers, maxMessageChars, consoleFeed, consoleAccess, null, connectorHealth,
                flowPicture, null);
    }

    /**
     * @param consoleAccess who may use the console, by role
     * @param operatorActions erase and dead-letter replay for operators; null: off
     * @param channels the generic webhook/REST channels under {@code /channels/}; null: none
     */
    public GatewayServer(String host, int port, ChatSession.Services services, DemoTokens demoTokens,
                         Set<String> demoUsers, int maxMessageChars, AuditFeed consoleFeed, AccessControl consoleAccess,
                         OperatorActions operatorActions, ConnectorHealth connectorHealth, FlowPicture flowPicture,
                         ChannelsHandler channels) {
        this.sse = new SseStreams(services);
        ConsoleHandler console = consoleFeed == null ? null : new ConsoleHandler(consoleFeed, consoleAccess, operatorActions,
                connectorHealth, flowPicture);
        Pages pages = new Pages(demoTokens, demoUsers, sse, console, channels);
        this.server = WebServer.builder("gateway-http").host(host).port(port).threads(4, 200).handler(jetty -> {
            ContextHandler context = new ContextHandler("/");
            WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, context, container -> {
                container.setIdleTimeout(Duration.ofMinutes(5));
                // Room for the chat's own limit, so an over-long message gets a clear error frame, not a close.
                container.setMaxTextMessageSize(Math.max(64 * 1024, maxMessageChars * 4L + 4096));
                container.setMaxOutgoingFrames(256);
                container.addMapping("/chat/ws", (upgradeRequest, upgradeResponse, callback) -> new WebSocketChat(services));
            });
            ws.setHandler(pages);
            context.setHandler(ws);
            return context;
        }).build();
    }

    public void start() {
        server.start();
        sse.start();
    }

    /** Whether the server accepts connections. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return server.port();
    }

    public URI uri() {
        String host = server.host() == null || server.host().equals("0.0.0.0") ? "localhost" : server.host();
        return URI.create("http://" + host + ":" + port());
    }

    @Override
    public void close() {
        sse.close();
        server.close();
    }

    /** Static assets, the demo page, demo tokens and health. */
    static final class Pages extends Handler.Abstract {

        private final DemoTokens demoTokens;
        private final Set<String> demoUsers;
        private final SseStreams sse;
        private final ConsoleHandler console;
        private final ChannelsHandler channels;

        Pages(DemoTokens demoTokens, Set<String> demoUsers, SseStreams sse, ConsoleHandler console,
              ChannelsHandler channels) {
            this.channels = channels;
            this.demoTokens = demoTokens;
            this.demoUsers = Set.copyOf(demoUsers);
            this.sse = sse;
            this.console = console;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            response.getHeaders().put("Content-Security-Policy", CSP);
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put("Referrer-Policy", "no-referrer");
            if (path.startsWith(SseStreams.PATH)) {
                return sse.handle(path, request, response, callback);
            }
            if (path.startsWith(ChannelsHandler.PREFIX) && channels != null) {
                return channels.handle(path, request, response, callback);
            }
            if (path.startsWith("/console/api/") && console != null) {
                return console.handle(path, request, response, callback);
            }
            if (path.equals("/health/live")) {
                return text(response, callback, HttpStatus.OK_200, "text/plain; charset=utf-8", "ok");
            }
            if (path.equals("/") && demoTokens != null) {
                Response.sendRedirect(request, response, callback, "/chat");
                return true;
            }
            if (path.equals("/demo/token") && demoTokens != null) {
                if (!HttpMethod.POST.is(request.getMethod())) {
                    return text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain; charset=utf-8",
                            "POST only");
                }
                String user = Request.extractQueryParameters(request).getValue("user");
                if (user == null || !demoUsers.contains(user)) {
                    return text(response, callback, HttpStatus.NOT_FOUND_404, "text/plain; charset=utf-8",
                            "not a demo user");
                }
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                return text(response, callback, HttpStatus.OK_200, "application/json",
                        "{\"token\":\"" + demoTokens.sign(user, Duration.ofHours(1)) + "\"}");
            }
            if (path.equals("/demo/users") && demoTokens != null) {
                StringBuilder json = new StringBuilder("[");
                demoUsers.stream().sorted().forEach(u -> json.append(json.length() > 1 ? "," : "").append('"')
                        .append(u.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
                return text(response, callback, HttpStatus.OK_200, "application/json", json.append(']').toString());
            }
            String type = ASSETS.get(path);
            if (type == null || (DEMO_ONLY.contains(path) && demoTokens == null)
                    || (CONSOLE_ONLY.contains(path) && console == null)) {
                return false;
            }
            if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                return text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain; charset=utf-8",
                        "GET only");
            }
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.write(true, ByteBuffer.wrap(asset(path)), callback);
            return true;
        }

        static boolean text(Response response, Callback callback, int status, String type, String body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            Content.Sink.write(response, true, body, callback);
            return true;
        }

        private static byte[] asset(String path) {
            String name = switch (path) {
                case "/chat" -> "chat.html";
                case "/console" -> "console.html";
                default -> path.substring(path.lastIndexOf('/') + 1);
            };
            try (InputStream in = GatewayServer.class.getResourceAsStream("/io/parley/gateway/web/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("asset missing from the jar: " + name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @SuppressWarnings("unused")
        private static String utf8(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
