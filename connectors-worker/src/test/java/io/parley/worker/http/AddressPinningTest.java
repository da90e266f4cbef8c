package io.parley.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptContext;
import io.parley.worker.connector.AttemptOutcome;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private-address guard and the connection agree on the address: the host is resolved once,
 * checked, and the request goes to that address with the host name kept in {@code Host} and, over
 * TLS, in SNI and the certificate check. Real servers on loopback; the resolver is the seam.
 */
class AddressPinningTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final List<String> hostsSeen = new CopyOnWriteArrayList<>();
    private final List<String> pathsSeen = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private HttpTransport transport;

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aNameThatResolvesToAnInternalAddressAfterTheCheckIsNeverConnectedTo() throws Exception {
        // Given a backend on loopback, and a name that answers a public address to the first lookup
        // and loopback afterwards ("localhost" also resolves to loopback for the JDK's own lookup)
        server = start(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16));
        AtomicInteger lookups = new AtomicInteger();
        NetworkGuard guard = NetworkGuard.publicOnly(host -> new InetAddress[] {
                lookups.getAndIncrement() == 0 ? InetAddress.getByName("203.0.113.7") : InetAddress.getLoopbackAddress()});
        transport = transport(GuardedClients.of(Duration.ofMillis(500), guard));

        // When the connector calls it
        AttemptOutcome outcome = get("http://localhost:" + server.getAddress().getPort() + "/orders/1");

        // Then the name was resolved once, and the internal address was never connected to
        assertThat(lookups).hasValue(1);
        assertThat(hostsSeen).isEmpty();
        assertThat(outcome).isInstanceOf(AttemptOutcome.Failure.class);
    }

    @Test
    void theRequestGoesToTheCheckedAddressAndNamesTheHost() throws Exception {
        // Given a name only the guard's resolver knows, pointing at a backend on loopback
        server = start(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16));
        int port = server.getAddress().getPort();
        AtomicInteger lookups = new AtomicInteger();
        NetworkGuard guard = NetworkGuard.refusing(host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }, address -> false);
        transport = transport(GuardedClients.of(TIMEOUT, guard));

        // When the connector calls it
        AttemptOutcome outcome = get("http://api.parley.test:" + port + "/orders/a%2Fb?x=1");

        // Then the checked address was reached, with the host's name and the path as they were
        assertThat(outcome).isInstanceOf(AttemptOutcome.Success.class);
        assertThat(hostsSeen).containsExactly("api.parley.test:" + port);
        assertThat(pathsSeen).containsExactly("/orders/a%2Fb?x=1");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void overTlsTheCertificateIsCheckedAgainstTheHostNameNotTheAddress(@TempDir Path dir) throws Exception {
        // Given a TLS backend on loopback whose certificate names api.parley.test, trusted by the worker
        Path keystore = keystore(dir, "api.parley.test");
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        https.setHttpsConfigurator(new HttpsConfigurator(tls(keystore)));
        server = start(https);
        int port = server.getAddress().getPort();
        NetworkGuard guard = NetworkGuard.refusing(host -> new InetAddress[] {InetAddress.getLoopbackAddress()}, address -> false);
        transport = transport(new GuardedClients(TIMEOUT, () -> tls(keystore), guard));

        // When the connector calls it by that name, and by another name resolving to the same address
        AttemptOutcome named = get("https://api.parley.test:" + port + "/orders/1");
        AttemptOutcome otherName = get("https://other.parley.test:" + port + "/orders/1");

        // Then the first verifies and reaches the backend, the second fails the certificate check
        assertThat(named).isInstanceOf(AttemptOutcome.Success.class);
        assertThat(hostsSeen).containsExactly("api.parley.test:" + port);
        assertThat(otherName).isInstanceOfSatisfying(AttemptOutcome.Failure.class, failure -> {
            assertThat(failure.status()).isEqualTo(BackendStatus.SERVER_ERROR);
            assertThat(failure.message()).contains("TLS");
        });
    }

    private AttemptOutcome get(String url) throws InterruptedException {
        return transport.exchange(new HttpTransport.HttpCall("GET", URI.create(url), Optional.empty(), "request-1"),
                new AttemptContext(1, TIMEOUT, Instant.now().plus(TIMEOUT)), body -> new AttemptOutcome.Success(JsonNodeFactory.instance.textNode(new String(body, StandardCharsets.UTF_8))));
    }

    private static HttpTransport transport(GuardedClients clients) {
        return new HttpTransport("pinning", clients, (request, context) -> { }, Map.of(), 1 << 20, Clock.systemUTC());
    }

    private <S extends HttpServer> S start(S created) {
        created.createContext("/", exchange -> {
            hostsSeen.add(exchange.getRequestHeaders().getFirst("Host"));
            pathsSeen.add(exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
            byte[] body = "{\"status\": \"OK\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        created.start();
        return created;
    }

    /** A PKCS12 key store with a self-signed certificate for {@code name}, made by the JDK's keytool. */
    private static Path keystore(Path dir, String name) throws IOException, InterruptedException {
        Path file = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        try (InputStream output = process.getInputStream()) {
            output.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(process.waitFor()).as("keytool exit code").isZero();
        assertThat(Files.exists(file)).isTrue();
        return file;
    }

    /** A TLS context that presents and trusts the key store's certificate. */
    private static SSLContext tls(Path keystore) throws java.security.GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        } catch (IOException e) {
            throw new java.security.KeyStoreException(e);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
