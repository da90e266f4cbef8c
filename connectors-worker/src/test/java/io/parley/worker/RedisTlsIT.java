package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tls:} section of a {@code redis} connector against a real {@code redis-server}
 * (Debian's package) listening on TLS only and requiring client certificates, with a CA made in the test.
 */
class RedisTlsIT {

    @TempDir
    Path dir;

    private final TestPki ca = TestPki.ca("Redis Test CA");
    private Process redis;
    private int port;
    private Path secrets;

    @BeforeEach
    void startRedis() throws Exception {
        assumeThat(Files.isExecutable(RedisServer.BINARY)).as("redis-server is installed").isTrue();
        TestPki.Issued server = ca.server("localhost");
        Path cert = server.writeCertificate(dir.resolve("server.pem"));
        Path key = server.writeKey(dir.resolve("server-key.pem"));
        Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        secrets = Files.writeString(dir.resolve("secrets.properties"), "password=redis-tls-pass\n");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = new ProcessBuilder(List.of(RedisServer.BINARY.toString(), "--port", "0", "--tls-port", Integer.toString(port),
                "--bind", "127.0.0.1", "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", caFile.toString(), "--tls-auth-clients", "yes", "--requirepass", "redis-tls-pass",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Awaitility.await("redis-server TLS port").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    try (Socket probe = new Socket()) {
                        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    @AfterEach
    void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Connectors connectors(String tls) {
        return Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: prefs
                    type: redis
                    url: rediss://localhost:%d/0
                    password: "${file:%s:password}"
                    timeout: 3s
                    retry: {maxAttempts: 1}
                    tls: %s
                    operations:
                      setColour: {command: set, key: "colour:{userId}", value: "{colour}"}
                      getColour: {command: get, key: "colour:{userId}"}
                """.formatted(port, secrets, tls)).build();
    }

    private static BackendResponse call(Connectors connectors, String operation, Map<String, String> params) {
        return connectors.call(TestRequests.request("prefs", operation, params, Instant.now().plusSeconds(10)));
    }

    @Test
    void aClientCertificateAndTheTestCaReachATlsOnlyRedis() throws Exception {
        // Given a connector trusting the test CA and presenting a client certificate it signed
        TestPki.Issued client = ca.client("parley-worker");
        Path cert = client.writeCertificate(dir.resolve("client.pem"));
        Path key = client.writeKey(dir.resolve("client-key.pem"));
        try (Connectors connectors = connectors("{caFile: \"" + dir.resolve("ca.pem") + "\", clientCert: \"" + cert
                + "\", clientKey: \"" + key + "\", minVersion: TLSv1.3}")) {

            // When it writes and reads a value
            BackendResponse saved = call(connectors, "setColour", Map.of("userId", "alice", "colour", "blue"));
            BackendResponse read = call(connectors, "getColour", Map.of("userId", "alice"));

            // Then both went through over TLS
            assertThat(saved.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(read.getResult()).isEqualTo("{\"value\":\"blue\"}");
        }
    }

    @Test
    void aServerSignedByAnotherCaIsRefused() throws Exception {
        // Given a connector trusting only another CA
        Path otherCa = TestPki.ca("Someone Else's CA").writeCertificate(dir.resolve("other-ca.pem"));
        TestPki.Issued client = ca.client("parley-worker");
        try (Connectors connectors = connectors("{caFile: \"" + otherCa + "\", clientCert: \""
                + client.writeCertificate(dir.resolve("client.pem")) + "\", clientKey: \""
                + client.writeKey(dir.resolve("client-key.pem")) + "\"}")) {

            // When it calls Redis
            BackendResponse read = call(connectors, "getColour", Map.of("userId", "alice"));

            // Then the handshake fails, as a TLS failure
            assertThat(read.getStatus()).isEqualTo(BackendStatus.SERVER_ERROR);
            assertThat(read.getError()).contains("TLS failure");
        }
    }
}
