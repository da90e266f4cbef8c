package io.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A WebSocket client speaking the web chat protocol, as the widget does (JDK client, a real socket). */
final class BrowserSocket implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private BrowserSocket(URI gateway) throws Exception {
        URI ws = URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/chat/ws");
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, this).get(10, TimeUnit.SECONDS);
    }

    static BrowserSocket open(URI gateway) throws Exception {
        return new BrowserSocket(gateway);
    }

    void send(String frame) throws Exception {
        socket.sendText(frame, true).get(10, TimeUnit.SECONDS);
    }

    List<JsonNode> ofType(String type) {
        return frames.stream().filter(f -> f.path("type").asText().equals(type)).toList();
    }

    List<String> replyIds() {
        return ofType("reply").stream().map(f -> f.path("replyId").asText()).toList();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error " + error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
