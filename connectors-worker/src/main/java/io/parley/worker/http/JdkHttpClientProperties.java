package io.parley.worker.http;

import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.Locale;

/**
 * The JDK HTTP client settings the transport depends on. The client reads them once, when its
 * classes are first used, so they are set before any connector builds a client, and checked:
 * a worker whose JDK client was started earlier without them refuses to start rather than send
 * requests without the checked address's {@code Host}.
 * <ul>
 *   <li>{@code jdk.httpclient.allowRestrictedHeaders} gains {@code host}: requests go to the address the
 *       {@link NetworkGuard} checked (an IP literal) and name the original host in {@code Host}.</li>
 * </ul>
 */
final class JdkHttpClientProperties {

    static final String ALLOW_RESTRICTED_HEADERS = "jdk.httpclient.allowRestrictedHeaders";

    private JdkHttpClientProperties() {
    }

    static synchronized void apply() {
        String allowed = System.getProperty(ALLOW_RESTRICTED_HEADERS, "");
        boolean hasHost = Arrays.stream(allowed.split(","))
                .anyMatch(name -> name.trim().toLowerCase(Locale.ROOT).equals("host"));
        if (!hasHost) {
            System.setProperty(ALLOW_RESTRICTED_HEADERS, allowed.isBlank() ? "host" : allowed + ",host");
        }
        try {
            HttpRequest.newBuilder().setHeader("Host", "parley.invalid");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the JDK HTTP client was started before the worker could allow the Host header;"
                    + " start the JVM with -D" + ALLOW_RESTRICTED_HEADERS + "=host", e);
        }
    }
}
