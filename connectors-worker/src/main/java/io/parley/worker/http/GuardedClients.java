package io.parley.worker.http;

import io.parley.runtime.Secret;
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
    private final String[] protocols;
    private final Optional<ProxySettings> proxy;
    private final NetworkGuard guard;
    private final HttpClient direct;
    private final Optional<HttpClient> proxied;
    private final Map<String, HttpClient> tlsClients = new ConcurrentHashMap<>();

    GuardedClients(Duration connectTimeout, TlsContexts tlsContexts, NetworkGuard guard) {
        this(connectTimeout, tlsContexts, TlsSettings.DEFAULT.protocols(), Optional.empty(), guard);
    }

    /**
     * @param protocols the TLS versions offered
     * @param proxy the proxy calls go through, if any
     */
    GuardedClients(Duration connectTimeout, TlsContexts tlsContexts, String[] protocols, Optional<ProxySettings> proxy,
                   NetworkGuard guard) {
        this.connectTimeout = connectTimeout;
        this.tlsContexts = tlsContexts;
        this.protocols = protocols.clone();
        this.proxy = proxy;
        this.guard = guard;
        SSLContext sslContext = newTlsContext(tlsContexts);
        this.direct = builder(sslContext, parameters(sslContext), false).build();
        this.proxied = proxy.map(settings -> builder(sslContext, parameters(sslContext), true).build());
        if (guard.checks() && !HOST_HEADER_ALLOWED) {
            LOG.warn("The JDK HTTP client was started before the connectors without -D{}=host: connectors that refuse"
                    + " private networks cannot connect to the address they checked and refuse their calls",
                    JdkHttpClientProperties.ALLOW_RESTRICTED_HEADERS);
        }
        if (proxy.flatMap(ProxySettings::basicCredentials).isPresent() && !JdkHttpClientProperties.basicTunnellingAllowed()) {
            LOG.warn("-D{} disables Basic: a proxy asking for credentials refuses HTTPS calls through it",
                    JdkHttpClientProperties.TUNNELING_DISABLED_SCHEMES);
        }
    }

    /** With TLS contexts that trust what the JVM trusts by default, no proxy. */
    static GuardedClients of(Duration connectTimeout, NetworkGuard guard) {
        return of(connectTimeout, TlsSettings.DEFAULT, Optional.empty(), guard);
    }

    /** With the connector's TLS settings and proxy. */
    static GuardedClients of(Duration connectTimeout, TlsSettings tls, Optional<ProxySettings> proxy, NetworkGuard guard) {
        return new GuardedClients(connectTimeout, tls::newContext, tls.protocols(), proxy, guard);
    }

    /**
     * Where one request goes: its client, the URI it connects to, the {@code Host} it names and the
     * HTTP version it asks for.
     */
    record Route(HttpClient client, URI connectTo, Optional<String> host, HttpClient.Version version,
                 Optional<Secret> proxyAuthorization) {

        /**
         * A request builder for this route, with the original host in {@code Host} and, through a
         * proxy with credentials, {@code Proxy-Authorization}: the JDK client moves it onto the
         * CONNECT request and leaves it off the tunnelled one.
         */
        HttpRequest.Builder newRequest() {
            HttpRequest.Builder request = HttpRequest.newBuilder(connectTo).version(version);
            host.ifPresent(name -> request.setHeader("Host", name));
            proxyAuthorization.ifPresent(value -> request.setHeader("Proxy-Authorization", value.reveal()));
            return request;
        }
    }

    /** Whether calls to this host go through the connector's proxy. */
    boolean proxied(String host) {
        return proxy.isPresent() && proxy.get().proxies(host);
    }

    /**
     * Resolves and checks the target once and says how to reach the checked address. Through a
     * proxy too: the worker resolves and checks the target itself and the tunnel is opened to the
     * checked address ({@code CONNECT 203.0.113.7:443}), so the proxy never resolves the name and
     * cannot be steered to an internal address by a name that changes its answer.
     *
     * @throws AttemptFailedException when the guard refuses the target
     * @throws UnknownHostException when the host does not resolve
     */
    Route route(URI target, String refusalPrefix) throws AttemptFailedException, UnknownHostException {
        NetworkGuard.Checked checked = guard.check(target);
        if (checked.refusal().isPresent()) {
            throw new AttemptFailedException(Failure.permanent(BackendStatus.REJECTED, refusalPrefix + checked.refusal().get()));
        }
        boolean viaProxy = proxied(target.getHost());
        HttpClient plain = viaProxy ? proxied.orElseThrow() : direct;
        Optional<Secret> proxyAuthorization = viaProxy ? proxy.flatMap(ProxySettings::basicCredentials) : Optional.empty();
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        if (checked.address().isEmpty() || isLiteral(target.getHost())) {
            // The URI names the host: HTTP/2 is offered (ALPN) and the server's :authority is right.
            return new Route(plain, target, Optional.empty(), https ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1,
                    proxyAuthorization);
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
        HttpClient routeClient = "https".equals(origin.scheme()) ? tlsClient(target.getHost(), viaProxy) : plain;
        // HTTP/1.1 on a pinned route: Java 17's HTTP/2 takes :authority from the URI (the address),
        // and a server hosting several names would not know which one is meant; Host names it.
        return new Route(routeClient, connectTo, Optional.of(host), HttpClient.Version.HTTP_1_1, proxyAuthorization);
    }

    private HttpClient tlsClient(String host, boolean viaProxy) {
        String name = host.toLowerCase(Locale.ROOT);
        return tlsClients.computeIfAbsent((viaProxy ? "proxy:" : "direct:") + name, key -> {
            SSLContext context = newTlsContext(tlsContexts);
            SSLParameters parameters = parameters(context);
            // The JDK sets endpoint identification (HTTPS) itself and, connecting to an IP literal,
            // keeps these server names: the certificate is then checked against the host name.
            parameters.setServerNames(List.of(new SNIHostName(name)));
            return builder(context, parameters, viaProxy).build();
        });
    }

    private SSLParameters parameters(SSLContext context) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(protocols);
        // Always on: there is no setting that turns host name verification off.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    private static SSLContext newTlsContext(TlsContexts contexts) {
        try {
            return contexts.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context could be made (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private HttpClient.Builder builder(SSLContext sslContext, SSLParameters parameters, boolean viaProxy) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                // Redirects are followed by the transport, which refuses those leaving the connector's origin.
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .sslContext(sslContext)
                .sslParameters(parameters)
                // Each request names its version (Route); this is the version of requests that do not.
                .version(HttpClient.Version.HTTP_1_1)
                // Each step of an exchange runs where it becomes possible (the calling thread, the client's selector
                // thread) instead of being handed to a pool of the client's own, which woke one of its threads for every
                // response: two to three thread switches a call, CPU that a small host's processor needed (bench S2
                // at-least-once: a fifth less CPU a turn, a quarter more turns a second; docs/performance.md). The client
                // hands its executor short non-blocking steps only; the body subscriber (BoundedBody) does not block, and
                // no dependent action is added to the futures it returns.
                .executor(Runnable::run);
        if (viaProxy) {
            builder.proxy(proxy.orElseThrow().selector());
        }
        // Otherwise the JVM's default selector, as before proxy: existed (-Dhttps.proxyHost and friends).
        return builder;
    }

    private static boolean isLiteral(String host) {
        return host.startsWith("[") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
