package io.parley.gateway.chat;

/**
 * One open browser connection, whatever its transport (WebSocket or server-sent events). Sends are
 * asynchronous and keep their order; a connection that cannot keep up is closed by its transport.
 */
public interface ChatConnection {

    /** Queues a text frame (a JSON document) for the browser. */
    void send(String frame);

    /** Closes the connection with a code and a reason the browser can show. */
    void close(int code, String reason);
}
