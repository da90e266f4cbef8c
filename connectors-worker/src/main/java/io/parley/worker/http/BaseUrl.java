package io.parley.worker.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A connector's base URL: http or https, a host, an optional base path, and nothing else (no user
 * information, query or fragment). Operation paths are appended to it.
 */
public record BaseUrl(URI uri) {

    /**
     * Parses and checks a base URL.
     *
     * @throws IllegalArgumentException saying what is wrong (the caller adds where)
     */
    public static BaseUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + text + "' must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the URL must not carry user information; use the auth section");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + text + "' must not have a query or fragment; use operation query settings");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new BaseUrl(URI.create(scheme + "://" + uri.getRawAuthority() + path));
    }

    public Origin origin() {
        return Origin.of(uri);
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
