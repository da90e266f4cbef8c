package io.parley.worker;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;

/**
 * A real HTTP CONNECT proxy (Jetty 12's {@link ConnectHandler}) on 127.0.0.1 that wants Basic
 * credentials: without them, or with wrong ones, it answers 407 with a Basic challenge. It records
 * the address of every tunnel it opened.
 */
public final class ConnectProxy implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final List<String> tunnels = new CopyOnWriteArrayList<>();
    private final AtomicInteger challenges = new AtomicInteger();

    private ConnectProxy(String username, String password) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        server.setHandler(new ConnectHandler() {
            @Override
            protected boolean handleAuthentication(Request request, Response response, String address) {
                String given = request.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION);
                if (expected.equals(given)) {
                    tunnels.add(address);
                    return true;
                }
                challenges.incrementAndGet();
                response.getHeaders().put(HttpHeader.PROXY_AUTHENTICATE, "Basic realm=\"parley-test-proxy\"");
                return false;
            }
        });
        server.start();
    }

    /** A proxy that accepts only these credentials. */
    public static ConnectProxy requiring(String username, String password) {
        try {
            return new ConnectProxy(username, password);
        } catch (Exception e) {
            throw new IllegalStateException("the proxy did not start", e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The {@code host:port} of each tunnel opened. */
    public List<String> tunnels() {
        return List.copyOf(tunnels);
    }

    /** How many times the proxy answered 407. */
    public int challenges() {
        return challenges.get();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the server did not stop", e);
        }
    }
}
