package io.parley.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.parley.runtime.Secret;
import io.parley.worker.ConnectProxy;
import io.parley.worker.TestPki;
import io.parley.worker.TlsBackend;
import io.parley.worker.connector.AttemptContext;
import io.parley.worker.connector.AttemptOutcome;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Through a proxy, the worker still resolves and checks the target itself and tunnels to the
 * address it checked: the proxy is asked for {@code CONNECT <address>:<port>}, never for the name,
 * while TLS still verifies the certificate against the host name.
 */
class ProxyPinningTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final TestPki ca = TestPki.ca("Pinning Test CA");
    private TlsBackend backend;
    private ConnectProxy proxy;
    private HttpTransport transport;

    @AfterEach
    void stop() throws Exception {
        if (transport != null) {
            transport.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void theTunnelGoesToTheCheckedAddressAndTheCertificateIsCheckedAgainstTheName() throws Exception {
        // Given a TLS backend for api.parley.test on loopback, a name only the guard's resolver knows,
        // and a proxy requiring credentials
        backend = TlsBackend.start(TlsBackend.Options.of(ca.server("api.parley.test")));
        proxy = ConnectProxy.requiring("parley", "pp-123");
        AtomicInteger lookups = new AtomicInteger();
        NetworkGuard guard = NetworkGuard.refusing(host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }, address -> false);
        ProxySettings settings = new ProxySettings("localhost", proxy.port(), Optional.of("parley"),
                Optional.of(Secret.of("pp-123")), List.of());
        GuardedClients clients = new GuardedClients(TIMEOUT, this::trustingTheCa, new String[] {"TLSv1.3", "TLSv1.2"},
                Optional.of(settings), guard);
        transport = new HttpTransport("pinning", clients, (request, context) -> { }, Map.of(), 1 << 20, Clock.systemUTC());

        // When the connector calls the backend by its name
        AttemptOutcome outcome = transport.exchange(
                new HttpTransport.HttpCall("GET", URI.create("https://api.parley.test:" + backend.port() + "/orders/1"),
                        Optional.empty(), "request-1"),
                new AttemptContext(1, TIMEOUT, Instant.now().plus(TIMEOUT)),
                body -> new AttemptOutcome.Success(JsonNodeFactory.instance.binaryNode(body)));

        // Then the name was resolved once by the worker, the tunnel went to the checked address,
        // and TLS verified the certificate for the name
        assertThat(outcome).isInstanceOf(AttemptOutcome.Success.class);
        assertThat(lookups).hasValue(1);
        assertThat(proxy.tunnels()).containsExactly("127.0.0.1:" + backend.port());
        assertThat(backend.protocols()).containsExactly("HTTP/1.1");
    }

    private SSLContext trustingTheCa() throws java.security.GeneralSecurityException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(ca.trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (java.io.IOException e) {
            throw new java.security.KeyStoreException(e);
        }
    }
}
