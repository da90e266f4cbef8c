package io.parley.runtime.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one HTTP server stack of Parley: a Jetty {@link Server} on one connector, built by
 * {@link #builder(String)} with its bind address (port 0 picks a free port, {@link #port()} tells
 * which), a named pool of daemon threads, a request header limit and a graceful stop. What it
 * serves is one Jetty {@link Handler}: {@link Routes} for JSON endpoints, or a service's own
 * handlers (servlets, websocket upgrades) built on the {@link Server}.
 */
public final class WebServer implements AutoCloseable {

    private final String name;
    private final Server server;
    private final ServerConnector connector;
    /** The port bound at start, kept after a stop (Jetty's connector then answers -2), so URLs stay printable. */
    private volatile int boundPort = -1;

    private WebServer(String name, Server server, ServerConnector connector) {
        this.name = name;
        this.server = server;
        this.connector = connector;
    }

    /** Settings of a server; {@code name} names its threads and its errors ("the shop API could not listen ..."). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Starts listening; a port already in use or an unknown host is one clear error naming the server and address. */
    public WebServer start() {
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // what failed is reported below
            }
            throw new IllegalStateException("The " + name + " could not listen on " + connector.getHost() + ":"
                    + connector.getPort() + ": " + e.getMessage(), e);
        }
        boundPort = connector.getLocalPort();
        return this;
    }

    /** The port the server listens on (the one picked when it was built with port 0). */
    public int port() {
        return boundPort >= 0 ? boundPort : connector.getLocalPort();
    }

    /** The address it was told to bind. */
    public String host() {
        return connector.getHost();
    }

    /** {@code http://host:port} without a trailing slash; a wildcard bind address is given as 127.0.0.1. */
    public String baseUrl() {
        String host = connector.getHost();
        if (host == null || isWildcard(host)) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** The Jetty server, for handlers that need it (a websocket upgrade); do not start or stop it directly. */
    public Server jetty() {
        return server;
    }

    /** Stops accepting, lets requests in flight finish within the stop timeout, then stops. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("The " + name + " did not stop cleanly: " + e.getMessage(), e);
        }
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Settings of a {@link WebServer}. */
    public static final class Builder {

        private final String name;
        private String host = "127.0.0.1";
        private int port;
        private int maxThreads = 8;
        private int minThreads = 2;
        private int requestHeaderBytes = 8 * 1024;
        private boolean encodedSlashes;
        private Duration stopTimeout = Duration.ZERO;
        private Function<Server, Handler> handler;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The address to bind (default 127.0.0.1; 0.0.0.0 in containers). */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** The port to bind; 0 (the default) picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("The " + name + " port must be between 0 and 65535: " + value);
            }
            this.port = value;
            return this;
        }

        /** The request threads, at least {@code min} and at most {@code max} (default 2 to 8). */
        public Builder threads(int min, int max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("The " + name + " threads: 1 <= min <= max expected, got " + min + ".." + max);
            }
            this.minThreads = min;
            this.maxThreads = max;
            return this;
        }

        /** The largest request line and headers accepted (default 8 KiB); larger requests get 431. */
        public Builder requestHeaderBytes(int value) {
            this.requestHeaderBytes = value;
            return this;
        }

        /**
         * Accepts {@code %2F} in a path (off by default, when Jetty answers 400): a {@link Routes} path
         * variable then holds the decoded {@code /}, as REST APIs with slashes in names need.
         */
        public Builder encodedSlashes(boolean value) {
            this.encodedSlashes = value;
            return this;
        }

        /** How long a stop waits for requests in flight (default zero: stop at once). */
        public Builder stopTimeout(Duration value) {
            this.stopTimeout = Objects.requireNonNull(value, "stopTimeout");
            return this;
        }

        /** What the server serves. */
        public Builder handler(Handler value) {
            Objects.requireNonNull(value, "handler");
            this.handler = server -> value;
            return this;
        }

        /** What the server serves, made with the server (a websocket upgrade handler needs it). */
        public Builder handler(Function<Server, Handler> value) {
            this.handler = Objects.requireNonNull(value, "handler");
            return this;
        }

        /** The server, not listening yet: {@link WebServer#start()} binds it. */
        public WebServer build() {
            if (handler == null) {
                throw new IllegalStateException("The " + name + " has no handler");
            }
            QueuedThreadPool threads = new QueuedThreadPool(maxThreads, minThreads);
            threads.setName(name);
            threads.setDaemon(true);
            Server server = new Server(threads);
            HttpConfiguration configuration = new HttpConfiguration();
            configuration.setRequestHeaderSize(requestHeaderBytes);
            configuration.setSendServerVersion(false);
            if (encodedSlashes) {
                configuration.setUriCompliance(UriCompliance.DEFAULT.with("encoded-slashes",
                        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
            }
            ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(configuration));
            connector.setHost(host);
            connector.setPort(port);
            server.addConnector(connector);
            Handler served = new ClosesAfterUnreadBody(handler.apply(server));
            if (stopTimeout.isZero()) {
                server.setHandler(served);
            } else {
                server.setHandler(new GracefulHandler(served));
                server.setStopTimeout(stopTimeout.toMillis());
            }
            return new WebServer(name, server, connector);
        }

        /** Builds and starts the server. */
        public WebServer start() {
            return build().start();
        }
    }
}
