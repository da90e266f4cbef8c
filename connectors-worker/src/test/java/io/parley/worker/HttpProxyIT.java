package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-connector proxies: HTTPS calls through a real CONNECT proxy (Jetty 12's ConnectHandler on
 * loopback) that wants Basic credentials, to a real TLS backend.
 */
class HttpProxyIT {

    private static final String PROXY_PASSWORD = "pr0xy-s3cret-canary";

    @TempDir
    Path dir;

    private final TestPki ca = TestPki.ca("Parley Test CA");
    private TlsBackend backend;
    private ConnectProxy proxy;
    private Path caFile;
    private Path secrets;

    @BeforeEach
    void start() throws Exception {
        caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "proxyPassword=" + PROXY_PASSWORD + "\nwrongPassword=not-the-password\n");
        backend = TlsBackend.start(TlsBackend.Options.of(ca.server("localhost")));
        proxy = ConnectProxy.requiring("parley", PROXY_PASSWORD);
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        proxy.close();
    }

    private Connectors connectors(boolean allowPrivateNetworks, String proxySection) {
        return Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: saas-api
                    type: http
                    baseUrl: https://localhost:%d
                    allowPrivateNetworks: %s
                    timeout: 5s
                    retry: {maxAttempts: 2, initialBackoff: 1ms}
                    tls: {caFile: "%s"}
                    proxy: %s
                    operations:
                      getOrder: {path: "/orders/{orderId}"}
                """.formatted(backend.port(), allowPrivateNetworks, caFile,
                proxySection.replace("PROXY", "http://localhost:" + proxy.port()).replace("SECRETS", secrets.toString())))
                .build();
    }

    private static BackendResponse getOrder(Connectors connectors) {
        return connectors.call(request("saas-api", "getOrder", Map.of("orderId", "1"), Instant.now().plusSeconds(10)));
    }

    @Test
    void anHttpsCallGoesThroughTheProxyWithItsCredentials() {
        // Given a connector whose calls go through the proxy, with the right password
        try (Connectors connectors = connectors(true,
                "{url: PROXY, username: parley, password: \"${file:SECRETS:proxyPassword}\"}")) {

            // When it calls the backend
            BackendResponse response = getOrder(connectors);

            // Then the call succeeds through a tunnel the proxy opened to the backend
            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(proxy.tunnels()).containsExactly("localhost:" + backend.port());
            assertThat(backend.protocols()).hasSize(1);
            // And the proxy's credentials stayed with the proxy
            assertThat(backend.headerNames()).isNotEmpty().noneMatch(name -> name.equalsIgnoreCase("Proxy-Authorization"));
        }
    }

    @Test
    void aWrongProxyPasswordFailsClearlyAndShowsNoCredentials() {
        BackendResponse response;
        CapturedLogs logs = new CapturedLogs();
        try (logs) {
            // Given a connector with the wrong proxy password
            try (Connectors connectors = connectors(true,
                    "{url: PROXY, username: parley, password: \"${file:SECRETS:wrongPassword}\"}")) {

                // When it calls the backend
                response = getOrder(connectors);
            }
        }

        // Then the call fails, once (credentials that were refused are not retried), saying the proxy refused them
        assertThat(response.getStatus()).isEqualTo(BackendStatus.SERVER_ERROR);
        assertThat(response.getError()).contains("proxy refused the connector's credentials");
        assertThat(response.getAttempts()).isEqualTo(1);
        assertThat(proxy.challenges()).isEqualTo(1);
        assertThat(proxy.tunnels()).isEmpty();
        assertThat(backend.protocols()).isEmpty();
        // And neither password, nor the encoded credentials, is in the response or in Parley's logs
        // (the test proxy's own Jetty debug lines are left out: they are not Parley's)
        List<String> parleyLogs = logs.lines().stream().filter(line -> !line.contains("org.eclipse.jetty")).toList();
        for (String secret : List.of("not-the-password", PROXY_PASSWORD, "cGFybGV5")) {
            assertThat(response.toString()).doesNotContain(secret);
            assertThat(parleyLogs).noneMatch(line -> line.contains(secret));
        }
    }

    @Test
    void nonProxyHostsAreReachedDirectly() {
        // Given a connector whose backend host is listed as reached directly
        try (Connectors connectors = connectors(true,
                "{url: PROXY, username: parley, password: \"${file:SECRETS:proxyPassword}\", nonProxyHosts: [localhost]}")) {

            // When it calls the backend
            BackendResponse response = getOrder(connectors);

            // Then the call succeeds without the proxy
            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(proxy.tunnels()).isEmpty();
            assertThat(proxy.challenges()).isZero();
        }
    }

    @Test
    void thePrivateAddressGuardStillAppliesToTheTargetBehindAProxy() {
        // Given a connector that refuses private networks, whose backend is on loopback, behind a proxy
        try (Connectors connectors = connectors(false,
                "{url: PROXY, username: parley, password: \"${file:SECRETS:proxyPassword}\"}")) {

            // When it calls the backend
            BackendResponse response = getOrder(connectors);

            // Then the worker refuses the target itself; the proxy was never asked
            assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
            assertThat(response.getError()).contains("loopback, private or link-local");
            assertThat(proxy.tunnels()).isEmpty();
            assertThat(proxy.challenges()).isZero();
        }
    }
}
