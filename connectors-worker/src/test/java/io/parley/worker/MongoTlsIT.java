package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.runtime.config.ConfigSection;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.http.TlsSettings;
import io.parley.runtime.ConfigVariables;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tls:} section of a {@code mongodb} connector. No {@code mongod} is installed here, so
 * the server is mongo-java-server (in process, the MongoDB wire protocol over Netty's TLS) with a
 * certificate from a CA made in the test. It checks trust (caFile), host name verification and the
 * minimum version on the wire; it cannot check that a client certificate is demanded, because that
 * server does not ask for one (mTLS is checked on the shared TlsSettings by HttpTlsIT and RedisTlsIT).
 */
class MongoTlsIT {

    @TempDir
    Path dir;

    private final TestPki ca = TestPki.ca("Mongo Test CA");
    private MongoServer server;
    private int port;

    private void startServer(TestPki.Issued certificate) {
        server = new MongoServer(new MemoryBackend());
        server.enableSsl(certificate.keys().getPrivate(), null, certificate.certificate(), certificate.ca());
        server.bind("127.0.0.1", 0);
        port = server.getLocalAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    private Connectors connectors(String uri, String tls) {
        return Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: shop-docs
                    type: mongodb
                    uri: "%s"
                    database: parley_tls
                    timeout: 3s
                    retry: {maxAttempts: 1}
                    tls: %s
                    operations:
                      addReview:
                        command: insertOne
                        collection: reviews
                        document: {userId: "{userId}", stars: "{stars:int}"}
                      getReview:
                        command: findOne
                        collection: reviews
                        filter: {userId: "{userId}"}
                        projection: {_id: 0, stars: 1}
                """.formatted(uri, tls)).build();
    }

    private static BackendResponse call(Connectors connectors, String operation, Map<String, String> params) {
        return connectors.call(TestRequests.request("shop-docs", operation, params, Instant.now().plusSeconds(10)));
    }

    @Test
    void aServerSignedByTheConfiguredCaIsReachedOverTls() throws Exception {
        // Given a MongoDB speaking TLS only, with a certificate for localhost from the test CA
        startServer(ca.server("localhost"));
        Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));

        // When a connector trusting that CA, TLS 1.3 or newer, writes and reads a document
        try (Connectors connectors = connectors("mongodb://localhost:" + port, "{caFile: \"" + caFile + "\", minVersion: TLSv1.3}")) {
            BackendResponse saved = call(connectors, "addReview", Map.of("userId", "alice", "stars", "5"));
            BackendResponse read = call(connectors, "getReview", Map.of("userId", "alice"));

            // Then both went through
            assertThat(saved.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(read.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(read.getResult()).isEqualTo("{\"stars\":5}");
        }
    }

    @Test
    void aServerSignedByAnotherCaIsRefused() throws Exception {
        // Given a connector trusting only another CA
        startServer(ca.server("localhost"));
        Path otherCa = TestPki.ca("Someone Else's CA").writeCertificate(dir.resolve("other-ca.pem"));

        // When it calls MongoDB
        try (Connectors connectors = connectors("mongodb://localhost:" + port, "{caFile: \"" + otherCa + "\"}")) {
            BackendResponse read = call(connectors, "getReview", Map.of("userId", "alice"));

            // Then the handshake fails, as a TLS failure (not a slow server to retry)
            assertThat(read.getStatus()).isEqualTo(BackendStatus.SERVER_ERROR);
            assertThat(read.getError()).contains("TLS failure");
        }
    }

    @Test
    void aCertificateForAnotherHostNameIsRefused() throws Exception {
        // Given a server whose certificate, from the trusted CA, names another host
        startServer(ca.server("db.shop.example"));
        Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));

        // When a connector reaches it as localhost
        try (Connectors connectors = connectors("mongodb://localhost:" + port, "{caFile: \"" + caFile + "\"}")) {
            BackendResponse read = call(connectors, "getReview", Map.of("userId", "alice"));

            // Then host name verification refuses it
            assertThat(read.getStatus()).isEqualTo(BackendStatus.SERVER_ERROR);
            assertThat(read.getError()).contains("TLS failure");
        }
    }

    @Test
    void withoutTheSectionTheConnectorDoesNotSpeakTls() throws Exception {
        // Given a TLS-only server and a connector without tls: and without tls=true in its uri
        startServer(ca.server("localhost"));

        // When it calls
        try (Connectors connectors = connectors("mongodb://localhost:" + port, "null")) {
            BackendResponse read = call(connectors, "getReview", Map.of("userId", "alice"));

            // Then the plain-text attempt gets no answer (the driver reports it as server selection timing out)
            assertThat(read.getStatus()).isEqualTo(BackendStatus.TIMEOUT);
            assertThat(read.getResult()).isNull();
        }
    }

    @Test
    void theMinimumVersionIsWhatEverySocketTheDriverGetsOffers() throws Exception {
        // Given tls settings asking for TLS 1.3 at least
        ConfigSection section = YamlFiles.parse("connectors.yaml", "minVersion: TLSv1.3");
        TlsSettings settings;
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            settings = TlsSettings.from(Optional.of(section), variables);
        }

        // When the driver's way of making a socket is followed (context, then its socket factory)
        SSLContext context = settings.newVersionLimitedContext();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {

            // Then only TLS 1.3 is offered, on sockets, engines and the default parameters
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3");
        }
        assertThat(context.createSSLEngine("localhost", 27017).getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(context.getDefaultSSLParameters().getProtocols()).containsExactly("TLSv1.3");
    }
}
