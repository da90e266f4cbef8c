package io.parley.gateway.web;

import io.parley.gateway.chat.ChatSession;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The server-sent events fallback of the web chat, for networks that block WebSockets:
 * <ul>
 *   <li>{@code POST /chat/sse} with the hello frame: {@code {"stream": id}}, or 401 with the reason;</li>
 *   <li>{@code GET /chat/sse/<id>}: the frames to the browser as an event stream;</li>
 *   <li>{@code POST /chat/sse/<id>} with a message frame: 202.</li>
 * </ul>
 * The stream id is an unguessable capability bound to the verified user of its hello.
 */
final class SseStreams implements AutoCloseable {

    static final String PATH = "/chat/sse";
    private static final int MAX_BODY = 64 * 1024;
    private static final long ABANDONED_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final Base64.Encoder IDS = Base64.getUrlEncoder().withoutPadding();

    private final ChatSession.Services services;
    private final Map<String, SseChat> streams = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-sse-heartbeat");
        t.setDaemon(true);
        return t;
    });

    SseStreams(ChatSession.Services services) {
        this.services = services;
    }

    void start() {
        timer.scheduleAtFixedRate(() -> streams.values().forEach(s -> {
            if (s.abandoned(ABANDONED_NANOS)) {
                s.finish();
            } else {
                s.heartbeat();
            }
        }), 15, 15, TimeUnit.SECONDS);
    }

    boolean handle(String path, Request request, Response response, Callback callback) throws Exception {
        boolean post = HttpMethod.POST.is(request.getMethod());
        if (path.equals(PATH) && post) {
            String body = body(request, response, callback);
            if (body == null) {
                return true;
            }
            String id = newId();
            SseChat chat = new SseChat(id, services, () -> streams.remove(id));
            streams.put(id, chat);
            chat.session.onText(body);
            String refused = chat.closeReason();
            if (refused != null) {
                streams.remove(id);
                return GatewayServer.Pages.text(response, callback, HttpStatus.UNAUTHORIZED_401, "application/json",
                        "{\"error\":\"" + refused.replace("\"", "'") + "\"}");
            }
            return GatewayServer.Pages.text(response, callback, HttpStatus.OK_200, "application/json",
                    "{\"stream\":\"" + id + "\"}");
        }
        SseChat chat = path.startsWith(PATH + "/") ? streams.get(path.substring(PATH.length() + 1)) : null;
        if (chat == null) {
            return GatewayServer.Pages.text(response, callback, HttpStatus.NOT_FOUND_404, "text/plain; charset=utf-8",
                    "no such stream");
        }
        if (post) {
            String body = body(request, response, callback);
            if (body == null) {
                return true;
            }
            chat.session.onText(body);
            return GatewayServer.Pages.text(response, callback, HttpStatus.ACCEPTED_202, "text/plain; charset=utf-8", "");
        }
        if (!HttpMethod.GET.is(request.getMethod())) {
            return GatewayServer.Pages.text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
                    "text/plain; charset=utf-8", "GET or POST");
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        if (!chat.attach(response, callback)) {
            return GatewayServer.Pages.text(response, callback, HttpStatus.CONFLICT_409, "text/plain; charset=utf-8",
                    "stream already open");
        }
        request.addFailureListener(failure -> chat.finish());
        return true;
    }

    private static String body(Request request, Response response, Callback callback) throws Exception {
        long length = request.getLength();
        if (length < 0 || length > MAX_BODY) {
            GatewayServer.Pages.text(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "text/plain; charset=utf-8",
                    "a body with a Content-Length up to " + MAX_BODY + " bytes is expected");
            return null;
        }
        return Content.Source.asString(request, StandardCharsets.UTF_8);
    }

    private String newId() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return IDS.encodeToString(bytes);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        streams.values().forEach(SseChat::finish);
    }
}
