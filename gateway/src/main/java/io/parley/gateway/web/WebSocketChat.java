package io.parley.gateway.web;

import io.parley.gateway.chat.ChatConnection;
import io.parley.gateway.chat.ChatSession;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The WebSocket transport of the web chat: one endpoint per browser connection (public: Jetty invokes it reflectively). */
public final class WebSocketChat implements Session.Listener.AutoDemanding, ChatConnection {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketChat.class);
    private final ChatSession.Services services;
    private volatile Session session;
    private volatile ChatSession chat;

    public WebSocketChat(ChatSession.Services services) {
        this.services = services;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.chat = new ChatSession(this, services);
    }

    @Override
    public void onWebSocketText(String message) {
        chat.onText(message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        ChatSession c = chat;
        if (c != null) {
            c.onClose();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("web chat connection failed: {}", cause.toString());
    }

    @Override
    public void send(String frame) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        // Jetty queues outgoing frames up to the container's limit; a browser that cannot keep up is dropped.
        s.sendText(frame, Callback.from(() -> { }, failure -> s.disconnect()));
    }

    @Override
    public void close(int code, String reason) {
        Session s = session;
        if (s != null) {
            s.close(code, reason, Callback.NOOP);
        }
    }
}
