package io.parley.worker.http;

import java.net.URI;
import java.util.Locale;

/**
 * Scheme, host and port of a URL: what must never change between a connector's base URL and the
 * URLs it calls (also across redirects).
 */
public record Origin(String scheme, String host, int port) {

    public static Origin of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return new Origin(scheme, host, port);
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
