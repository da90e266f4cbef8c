package io.parley.worker.http;

import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.worker.config.SecretFields;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A connector's {@code proxy:} section: an HTTP proxy its calls go through (HTTPS targets by a
 * {@code CONNECT} tunnel), with Basic credentials, and hosts
 * that are reached directly. Credentials are sent to the proxy with each tunnel request
 * ({@code Proxy-Authorization: Basic}), never to the backend. The proxy's own address is the operator's choice and is not checked
 * by the private-address guard (a company proxy usually sits on a private network); the target is.
 *
 * @param host the proxy's host
 * @param port the proxy's port
 * @param username the proxy user, if the proxy wants credentials
 * @param password the proxy password (a config-provider reference), with {@code username}
 * @param nonProxyHosts host names reached directly: exact names or {@code *.suffix}
 */
public record ProxySettings(String host, int port, Optional<String> username, Optional<Secret> password,
                            List<String> nonProxyHosts) {

    public static final String SECTION = "proxy";
    static final String URL = "url";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String NON_PROXY_HOSTS = "nonProxyHosts";

    /** Reads a connector's {@code proxy:} section, if there is one. */
    public static Optional<ProxySettings> from(Optional<ConfigSection> section, ConfigVariables variables) {
        if (section.isEmpty()) {
            return Optional.empty();
        }
        ConfigSection proxy = section.get().allowOnly(URL, USERNAME, PASSWORD, NON_PROXY_HOSTS);
        String text = proxy.requiredString(URL).trim();
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw proxy.error(URL, "'" + text + "' is not a URL: " + e.getReason());
        }
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw proxy.error(URL, "'" + text + "' must be http://host:port (an HTTP proxy; HTTPS targets go through it by CONNECT)");
        }
        if (url.getRawUserInfo() != null) {
            // Not echoed: the user information may hold the proxy password.
            throw proxy.error(URL, "the URL must not carry credentials; use username and password");
        }
        if ((url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/"))
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw proxy.error(URL, "'" + text + "' must be http://host:port, without a path");
        }
        int port = url.getPort() == -1 ? 80 : url.getPort();
        Optional<String> username = SecretFields.plainOrReference(proxy, USERNAME, variables);
        Optional<Secret> password = SecretFields.optional(proxy, PASSWORD, variables);
        if (username.isPresent() != password.isPresent()) {
            String missing = username.isPresent() ? PASSWORD : USERNAME;
            throw proxy.error(missing, "is required with " + (username.isPresent() ? USERNAME : PASSWORD));
        }
        List<String> nonProxyHosts = proxy.stringList(NON_PROXY_HOSTS).stream()
                .map(name -> name.trim().toLowerCase(Locale.ROOT)).toList();
        for (String name : nonProxyHosts) {
            if (name.isEmpty() || name.indexOf('*', 1) >= 0 || (name.startsWith("*") && !name.startsWith("*."))) {
                throw proxy.error(NON_PROXY_HOSTS, "'" + name + "' is not a host name or *.suffix");
            }
        }
        return Optional.of(new ProxySettings(url.getHost(), port, username, password, nonProxyHosts));
    }

    /** Whether calls to {@code host} go through the proxy. */
    public boolean proxies(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        for (String pattern : nonProxyHosts) {
            if (pattern.startsWith("*.") ? name.endsWith(pattern.substring(1)) : name.equals(pattern)) {
                return false;
            }
        }
        return true;
    }

    /** Sends every request of a client through the proxy. */
    ProxySelector selector() {
        return ProxySelector.of(InetSocketAddress.createUnresolved(host, port));
    }

    /**
     * The {@code Proxy-Authorization} value, when the proxy wants credentials. It is sent with the
     * first CONNECT instead of after a 407: the worker lets the JDK client send each request once
     * ({@code jdk.httpclient.redirects.retrylimit=1}, see {@link JdkHttpClientProperties}), and
     * answering a challenge would be a second send.
     */
    Optional<Secret> basicCredentials() {
        if (username.isEmpty() || password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Secret.of("Basic " + Base64.getEncoder().encodeToString(
                (username.get() + ":" + password.get().reveal()).getBytes(StandardCharsets.UTF_8))));
    }

    @Override
    public String toString() {
        // Never the password (Secret hides itself anyway), and the user only by presence.
        return "proxy " + host + ":" + port + (username.isPresent() ? " with credentials" : "");
    }
}
