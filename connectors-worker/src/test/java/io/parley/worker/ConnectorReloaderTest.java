package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.ConnectorReloader.Outcome;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 part 3, the swap: a changed connector file replaces the definitions for new calls while
 * calls in flight finish on the old ones; a broken one is refused, once, and the old one stays.
 */
class ConnectorReloaderTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch slowArrived = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private HttpServer backend;
    private Path file;
    private Connectors connectors;
    private ConnectorReloader reloader;

    @BeforeEach
    void startBackend() throws Exception {
        // Answers with the path it was called on; paths under /slow wait until the test releases them.
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/slow")) {
                slowArrived.countDown();
                try {
                    releaseSlow.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = ("{\"path\": \"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        backend.start();
        file = dir.resolve("connectors.yaml");
    }

    @AfterEach
    void stop() {
        releaseSlow.countDown();
        if (reloader != null) {
            reloader.close();
        }
        if (connectors != null) {
            connectors.close();
        }
        backend.stop(0);
    }

    private void writeDefinition(String pathPrefix) throws Exception {
        Files.writeString(file, """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: http://127.0.0.1:%d
                    allowPrivateNetworks: true
                    operations:
                      getOrder: {path: "/%s/orders/{orderId}"}
                """.formatted(backend.getAddress().getPort(), pathPrefix));
    }

    private void load(String pathPrefix) throws Exception {
        writeDefinition(pathPrefix);
        List<WorkerConfig.ConnectorSource> sources = List.of(WorkerConfig.ConnectorSource.file(file));
        connectors = Connectors.builder().meterRegistry(meters).sources(sources).build();
        reloader = new ConnectorReloader(connectors, sources, () -> Connectors.builder().meterRegistry(meters),
                next -> { }, meters);
    }

    private BackendResponse getOrder() {
        return connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1001")));
    }

    private double reloads(String outcome) {
        return meters.get(ConnectorReloader.RELOADS).tag("outcome", outcome).counter().count();
    }

    @Test
    void aCallInFlightFinishesOnTheOldDefinitionWhileNewCallsUseTheNewOne() throws Exception {
        load("slow-v1");
        CompletableFuture<BackendResponse> inFlight = CompletableFuture.supplyAsync(this::getOrder);
        assertThat(slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

        writeDefinition("v2");
        Outcome outcome = reloader.checkNow();
        BackendResponse newCall = getOrder();
        releaseSlow.countDown();
        BackendResponse oldCall = inFlight.get(10, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(Outcome.APPLIED);
        assertThat(newCall.getResult()).isEqualTo("{\"path\":\"/v2/orders/1001\"}");
        assertThat(oldCall.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(oldCall.getResult()).isEqualTo("{\"path\":\"/slow-v1/orders/1001\"}");
        assertThat(connectors.version().number()).isEqualTo(2);
        assertThat(reloads("applied")).isEqualTo(1.0);
        assertThat(meters.get(ConnectorReloader.VERSION).tag("hash", connectors.version().shortHash()).gauge().value())
                .isEqualTo(2.0);
        assertThat(meters.find(ConnectorReloader.VERSION).gauges()).hasSize(1);
    }

    @Test
    void aBrokenFileIsRefusedWithOneWarningAndTheRunningVersionStays() throws Exception {
        load("v1");
        Connectors.Version before = connectors.version();
        Files.writeString(file, "connectors:\n  - name: shop-api\n    type: http\n    operations: {getOrder: {path: /x}}\n");

        List<String> warnings;
        Outcome first;
        Outcome again;
        try (CapturedLogs logs = new CapturedLogs(Level.WARN)) {
            first = reloader.checkNow();
            again = reloader.checkNow();
            warnings = logs.lines();
        }

        assertThat(first).isEqualTo(Outcome.REFUSED);
        assertThat(again).isEqualTo(Outcome.UNCHANGED);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("Connector files changed but were refused; version 1 (sha256 " + before.shortHash()
                + ") stays active: " + file + ": connectors[shop-api].baseUrl");
        assertThat(connectors.version()).isEqualTo(before);
        assertThat(getOrder().getResult()).isEqualTo("{\"path\":\"/v1/orders/1001\"}");
        assertThat(reloads("refused")).isEqualTo(1.0);
        assertThat(reloads("applied")).isZero();
    }

    @Test
    void aFixedFileAfterARefusalIsApplied() throws Exception {
        load("v1");
        Files.writeString(file, "connectors: []\n");
        assertThat(reloader.checkNow()).isEqualTo(Outcome.REFUSED);

        writeDefinition("v3");

        assertThat(reloader.checkNow()).isEqualTo(Outcome.APPLIED);
        assertThat(getOrder().getResult()).isEqualTo("{\"path\":\"/v3/orders/1001\"}");
        assertThat(connectors.version().number()).isEqualTo(2);
    }

    @Test
    void theSameContentWrittenAgainIsNoChange() throws Exception {
        load("v1");

        writeDefinition("v1");

        assertThat(reloader.checkNow()).isEqualTo(Outcome.UNCHANGED);
        assertThat(connectors.version().number()).isEqualTo(1);
        assertThat(reloads("applied") + reloads("refused")).isZero();
    }

    @Test
    void aDeletedFileIsRefusedAndTheRunningVersionStays() throws Exception {
        load("v1");

        Files.delete(file);

        assertThat(reloader.checkNow()).isEqualTo(Outcome.REFUSED);
        assertThat(getOrder().getStatus()).isEqualTo(BackendStatus.OK);
    }

    @Test
    void whatTheWorkerChecksBeyondTheLoaderCanRefuseAVersion() throws Exception {
        writeDefinition("v1");
        List<WorkerConfig.ConnectorSource> sources = List.of(WorkerConfig.ConnectorSource.file(file));
        connectors = Connectors.builder().meterRegistry(meters).sources(sources).build();
        reloader = new ConnectorReloader(connectors, sources, () -> Connectors.builder().meterRegistry(meters), next -> {
            throw new ConfigException("connectors.yaml: connectors[shop-api].maxResponseBytes: does not fit");
        }, meters);

        writeDefinition("v2");

        assertThat(reloader.checkNow()).isEqualTo(Outcome.REFUSED);
        assertThat(getOrder().getResult()).isEqualTo("{\"path\":\"/v1/orders/1001\"}");
    }
}
