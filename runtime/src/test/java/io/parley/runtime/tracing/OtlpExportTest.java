package io.parley.runtime.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tracing on sends its spans by OTLP/HTTP to the configured endpoint (a real HTTP server here) and flushes on close. */
class OtlpExportTest {

    private record Received(String method, String path, String contentType, byte[] body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer collector;

    @BeforeEach
    void startCollector() throws IOException {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    @Test
    void spansArePostedToTheEndpointsTracesPathWhenTracingCloses() {
        // Given tracing on, pointed at the collector
        URI endpoint = URI.create("http://127.0.0.1:" + collector.getAddress().getPort());
        Tracing tracing = Tracing.start(new TracingSettings(true, endpoint, 1.0, "otlp-test-service"));
        assertThat(tracing.enabled()).isTrue();

        // When a span is recorded and tracing closes (shutdown flushes the batch)
        SpanContext turn = tracing.begin(SpanContext.getInvalid());
        tracing.record("turn", SpanKind.CONSUMER, turn, SpanContext.getInvalid(), 1_000, 2_000, Attributes.empty());
        tracing.close();

        // Then the collector got it as OTLP protobuf on /v1/traces, with the service name
        assertThat(received).isNotEmpty();
        Received export = received.get(0);
        assertThat(export.method()).isEqualTo("POST");
        assertThat(export.path()).isEqualTo("/v1/traces");
        assertThat(export.contentType()).isEqualTo("application/x-protobuf");
        String body = new String(export.body(), StandardCharsets.ISO_8859_1);
        assertThat(body).contains("otlp-test-service").contains("turn");
    }

    @Test
    void offStartsNoExporterAndSendsNothing() {
        Tracing tracing = Tracing.start(TracingSettings.off("otlp-test-service"));
        tracing.record("turn", SpanKind.CONSUMER, tracing.begin(SpanContext.getInvalid()), SpanContext.getInvalid(), 0, 1,
                Attributes.empty());
        tracing.close();

        assertThat(tracing.enabled()).isFalse();
        assertThat(received).isEmpty();
    }
}
