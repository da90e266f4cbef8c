package io.parley.worker.http;

import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptFailedException;
import io.parley.worker.connector.AttemptOutcome.Failure;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK clients of one connector, and where each request goes. The target host is resolved
 * and checked once by the {@link NetworkGuard}; the request is then sent to the checked address
 * (an IP literal in the URI) with the original {@code Host} header, so the JDK client has no name
 * left to resolve again. Over TLS the server name (SNI) stays the host name and the certificate is
 * verified against it: Java 17's client has no pluggable resolver, so each pinned HTTPS host gets
 * a client whose SSL parameters name it (the JDK checks the certificate against the SNI name),
 * with a TLS context of its own: the JDK caches client sessions by address and port, and a session
 * verified for one name must not be resumed, unverified, for another name on the same address.
 * Hosts are the connector's own and its token endpoint's, so there are only a few of them.
 */
final class GuardedClients {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedClients.class);
    private static final boolean HOST_HEADER_ALLOWED = JdkHttpClientProperties.apply();

    /** Makes a fresh TLS context (its own session cache); replaceable in tests to trust their own certificates. */
    @FunctionalInterface
    interface TlsContexts {
        SSLContext create() throws GeneralSecurityException;
    }

    private final Duration connectTimeout;
    private final TlsContexts tlsContexts;
    private final SSLContext sslContext;
    private final NetworkGuard guard;
    private final HttpClient client;
    private final Map<String, HttpClient> tlsClients = new ConcurrentHashMap<>();

    GuardedClients(Duration connectTimeout, TlsContexts tlsContexts, NetworkGuard guard) {
        this.connectTimeout = connectTimeout;
        this.tlsContexts = tlsContexts;
        this.sslContext = newTlsContext(tlsContexts);
        this.guard = guard;
        this.client = builder(sslContext).build();
        if (guard.checks() && !HOST_HEADER_ALLOWED) {
            LOG.warn("The JDK HTTP client was started before the connectors without -D{}=host: connectors that refuse"
                    + " private networks cannot connect to the address they checked and refuse their calls",
                    JdkHttpClientProperties.ALLOW_RESTRICTED_HEADERS);
        }
    }

    /** With TLS contexts that trust what the JVM trusts by default. */
    static GuardedClients of(Duration connectTimeout, NetworkGuard guard) {
        return new GuardedClients(connectTimeout, () -> {
            SSLContext context = SSLContext.getInstance("TLS");
            // No key managers, the JVM's default trust managers.
            context.init(null, null, null);
            return context;
        }, guard);
    }

    /** Where one request goes: its client, the URI it connects to and the {@code Host} it names. */
    record Route(HttpClient client, URI connectTo, Optional<String> host) {

        /** A request builder for this route, with the original host in {@code Host}. */
        HttpRequest.Builder newRequest() {
            HttpRequest.Builder request = HttpRequest.newBuilder(connectTo);
            host.ifPresent(name -> request.setHeader("Host", name));
            return request;
        }
    }

    /**
     * Resolves and checks the target once and says how to reach the checked address.
     *
     * @throws AttemptFailedException when the guard refuses the target
     * @throws UnknownHostException when the host does not resolve
     */
    Route route(URI target, String refusalPrefix) throws AttemptFailedException, UnknownHostException {
        NetworkGuard.Checked checked = guard.check(target);
        if (checked.refusal().isPresent()) {
            throw new AttemptFailedException(Failure.permanent(BackendStatus.REJECTED, refusalPrefix + checked.refusal().get()));
        }
        if (checked.address().isEmpty() || isLiteral(target.getHost())) {
            return new Route(client, target, Optional.empty());
        }
        if (!HOST_HEADER_ALLOWED) {
            // Never fall back to letting the client resolve the name again: that is the gap the check closes.
            throw new AttemptFailedException(Failure.permanent(BackendStatus.REJECTED, refusalPrefix
                    + "the checked address cannot be used: start the JVM with -D"
                    + JdkHttpClientProperties.ALLOW_RESTRICTED_HEADERS + "=host"));
        }
        Origin origin = Origin.of(target);
        InetAddress address = checked.address().get();
        String literal = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        URI connectTo = URI.create(origin.scheme() + "://" + literal + ":" + origin.port()
                + (target.getRawPath() == null ? "" : target.getRawPath())
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
        boolean defaultPort = target.getPort() == -1 || origin.port() == ("https".equals(origin.scheme()) ? 443 : 80);
        String host = defaultPort ? target.getHost() : target.getHost() + ":" + origin.port();
        HttpClient routeClient = "https".equals(origin.scheme()) ? tlsClient(target.getHost()) : client;
        return new Route(routeClient, connectTo, Optional.of(host));
    }

    private HttpClient tlsClient(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return tlsClients.computeIfAbsent(name, key -> {
            SSLContext context = newTlsContext(tlsContexts);
            SSLParameters parameters = context.getDefaultSSLParameters();
            // The JDK sets endpoint identification (HTTPS) itself and, connecting to an IP literal,
            // keeps these server names: the certificate is then checked against the host name.
            parameters.setServerNames(List.of(new SNIHostName(key)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            return builder(context).sslParameters(parameters).build();
        });
    }

    private static SSLContext newTlsContext(TlsContexts contexts) {
        try {
            return contexts.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context could be made (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private HttpClient.Builder builder(SSLContext sslContext) {
        return HttpClient.newBuilder()
                // Redirects are followed by the transport, which refuses those leaving the connector's origin.
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .sslContext(sslContext)
                .version(HttpClient.Version.HTTP_1_1);
    }

    private static boolean isLiteral(String host) {
        return host.startsWith("[") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
