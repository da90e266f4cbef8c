package io.parley.worker.http;

import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.Locale;

/**
 * The JDK HTTP client settings the transport depends on. The client reads them once, when its
 * classes are first used, so they are set before any connector builds a client (the worker builds
 * its connectors before anything else uses the JDK client). A JVM that used the client earlier,
 * without them on its command line, keeps the JDK's defaults; {@link #apply()} tells whether the
 * {@code Host} header can be set, and connectors that need it refuse their calls otherwise.
 * <ul>
 *   <li>{@code jdk.httpclient.allowRestrictedHeaders} gains {@code host}: requests go to the address the
 *       {@link NetworkGuard} checked (an IP literal) and name the original host in {@code Host}.</li>
 *   <li>{@code jdk.httpclient.redirects.retrylimit=1}: the client sends each request once. By default it
 *       resends a GET by itself when a kept-alive connection closes before the answer, a call the
 *       backend sees but the worker would not count; the transport follows redirects itself and the
 *       call policy retries, counted, with backoff.</li>
 *   <li>{@code jdk.http.auth.tunneling.disabledSchemes} is emptied unless set on the command line: the
 *       JDK's default ({@code Basic}, from {@code net.properties}) drops Basic credentials meant for a
 *       proxy's CONNECT, the scheme most company proxies offer besides NTLM/Kerberos. A connector
 *       sends them only to the proxy its {@code proxy:} section names, and the JDK keeps them off the
 *       tunnelled call, which is TLS with the target's certificate checked.</li>
 * </ul>
 * Deployments that start other JDK HTTP clients first pass them on the command line, for example
 * {@code -Djdk.httpclient.allowRestrictedHeaders=host -Djdk.httpclient.redirects.retrylimit=1
 * -Djdk.http.auth.tunneling.disabledSchemes=}.
 */
public final class JdkHttpClientProperties {

    static final String ALLOW_RESTRICTED_HEADERS = "jdk.httpclient.allowRestrictedHeaders";
    static final String RETRY_LIMIT = "jdk.httpclient.redirects.retrylimit";
    static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

    private JdkHttpClientProperties() {
    }

    /** Whether Basic credentials may answer a proxy's 407 for a CONNECT tunnel (the property as it is now). */
    public static boolean basicTunnellingAllowed() {
        String disabled = System.getProperty(TUNNELING_DISABLED_SCHEMES, "Basic");
        return Arrays.stream(disabled.split(",")).noneMatch(name -> name.trim().equalsIgnoreCase("basic"));
    }

    /**
     * Sets the properties (idempotent).
     *
     * @return whether requests may set {@code Host}
     */
    public static synchronized boolean apply() {
        String allowed = System.getProperty(ALLOW_RESTRICTED_HEADERS, "");
        boolean hasHost = Arrays.stream(allowed.split(","))
                .anyMatch(name -> name.trim().toLowerCase(Locale.ROOT).equals("host"));
        if (!hasHost) {
            System.setProperty(ALLOW_RESTRICTED_HEADERS, allowed.isBlank() ? "host" : allowed + ",host");
        }
        System.setProperty(RETRY_LIMIT, "1");
        if (System.getProperty(TUNNELING_DISABLED_SCHEMES) == null) {
            // An operator's own value on the command line wins; without one, Basic may answer a proxy's 407.
            System.setProperty(TUNNELING_DISABLED_SCHEMES, "");
        }
        try {
            HttpRequest.newBuilder().setHeader("Host", "parley.invalid");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
