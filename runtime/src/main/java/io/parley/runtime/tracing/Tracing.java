package io.parley.runtime.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Headers;

/**
 * OpenTelemetry for one Parley service: the tracer, W3C trace context in Kafka headers and HTTP
 * headers, and spans recorded after the fact for work that outlives a record (a turn, a backend call).
 *
 * <p>Off, it records nothing, exports nothing and creates no trace context of its own; a context that
 * arrives in a record's headers is passed on unchanged, so a trace that starts before a service with
 * tracing off still reaches the services after it.
 *
 * <p>Close it at shutdown: the spans still queued are flushed to the collector.
 */
public final class Tracing implements AutoCloseable {

    /** The instrumentation scope of every Parley span. */
    public static final String SCOPE = "io.parley";

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final OpenTelemetry openTelemetry;
    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final Sampler rootSampler;

    private Tracing(OpenTelemetry openTelemetry, SdkTracerProvider provider, double sampleRatio) {
        this.openTelemetry = openTelemetry;
        this.provider = provider;
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.rootSampler = Sampler.traceIdRatioBased(sampleRatio);
    }

    /** Tracing as configured: off, or spans batched to the OTLP/HTTP endpoint. */
    public static Tracing start(TracingSettings settings) {
        if (!settings.enabled()) {
            return off();
        }
        SpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.otlpEndpoint() + "/v1/traces")
                .setTimeout(Duration.ofSeconds(10))
                .build();
        return withProcessor(BatchSpanProcessor.builder(exporter).build(), settings);
    }

    /** Tracing off: context passes through, nothing is recorded. */
    public static Tracing off() {
        return new Tracing(OpenTelemetry.propagating(ContextPropagators.create(W3C)), null, 0.0);
    }

    /** Tracing on, each span handed to {@code exporter} as it ends (tests, with an in-memory exporter). */
    public static Tracing exportingTo(SpanExporter exporter, TracingSettings settings) {
        return withProcessor(SimpleSpanProcessor.create(exporter), settings);
    }

    private static Tracing withProcessor(SpanProcessor processor, TracingSettings settings) {
        IdGenerator ids = new PresetIds();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", settings.serviceName()).build()))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampleRatio())))
                .setIdGenerator(ids)
                .addSpanProcessor(processor)
                .build();
        OpenTelemetry sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3C))
                .build();
        return new Tracing(sdk, provider, settings.sampleRatio());
    }

    /** Whether spans are recorded. */
    public boolean enabled() {
        return provider != null;
    }

    public Tracer tracer() {
        return tracer;
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** The trace context in a record's headers; {@link Context#root()} when there is none (or it is malformed). */
    public Context extract(Headers headers) {
        return W3C.extract(Context.root(), headers, KafkaHeaderCarrier.INSTANCE);
    }

    /** Writes the context's span (if valid) into the headers, replacing any trace context there. */
    public void inject(Context context, Headers headers) {
        W3C.inject(context, headers, KafkaHeaderCarrier.INSTANCE);
    }

    /** Writes a span context into the headers, replacing any trace context there. Nothing for an invalid one. */
    public void inject(SpanContext span, Headers headers) {
        inject(Context.root().with(Span.wrap(span)), headers);
    }

    /**
     * Writes the current span's context ({@link Context#current()}) as W3C headers through {@code header}:
     * an HTTP call made inside a span carries its {@code traceparent}. Nothing outside a span.
     */
    public static void writeCurrentContext(java.util.function.BiConsumer<String, String> header) {
        W3C.inject(Context.current(), header, (carrier, key, value) -> {
            if (carrier != null) {
                carrier.accept(key, value);
            }
        });
    }

    /** The W3C headers ({@code traceparent}, maybe {@code tracestate}) of a context, for HTTP calls and state. */
    public Map<String, String> headersOf(SpanContext span) {
        Map<String, String> headers = new HashMap<>();
        W3C.inject(Context.root().with(Span.wrap(span)), headers, MapCarrier.INSTANCE);
        return headers;
    }

    /** The span context in W3C headers; invalid when {@code traceparent} is missing or malformed. */
    public SpanContext spanContextOf(String traceparent, String tracestate) {
        Map<String, String> headers = new HashMap<>();
        if (traceparent != null) {
            headers.put("traceparent", traceparent);
        }
        if (tracestate != null) {
            headers.put("tracestate", tracestate);
        }
        return Span.fromContext(W3C.extract(Context.root(), headers, MapCarrier.INSTANCE)).getSpanContext();
    }

    /**
     * The context of a span that begins now and is recorded later ({@link #record}): a child of
     * {@code parent}, or the root of a new trace when the parent is invalid (sampled by the ratio).
     * Off, this is the parent itself: no span of ours, the caller's context passes through.
     */
    public SpanContext begin(SpanContext parent) {
        if (!enabled()) {
            return parent;
        }
        IdGenerator random = IdGenerator.random();
        if (parent.isValid()) {
            return SpanContext.create(parent.getTraceId(), random.generateSpanId(), parent.getTraceFlags(), parent.getTraceState());
        }
        String traceId = random.generateTraceId();
        boolean sampled = rootSampler.shouldSample(Context.root(), traceId, "", SpanKind.INTERNAL, Attributes.empty(), List.of())
                .getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
        return SpanContext.create(traceId, random.generateSpanId(), sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                TraceState.getDefault());
    }

    /**
     * The context of a child span of {@code parent} whose id is derived from {@code key}, so it can be
     * worked out again from the parent and the key alone (a backend request's span from its turn's span
     * and its request id). Off, the parent itself.
     */
    public SpanContext derive(SpanContext parent, String key) {
        if (!enabled() || !parent.isValid()) {
            return parent;
        }
        return SpanContext.create(parent.getTraceId(), derivedSpanId(parent.getSpanId(), key), parent.getTraceFlags(),
                parent.getTraceState());
    }

    /**
     * Records a span that began at {@code startMillis} and ended at {@code endMillis}, with the ids of
     * {@code self} (from {@link #begin} or {@link #derive}) under {@code parent} (invalid for a root).
     * Nothing when off or when {@code self} is not sampled.
     */
    public void record(String name, SpanKind kind, SpanContext self, SpanContext parent, long startMillis, long endMillis,
                       Attributes attributes) {
        if (!enabled() || !self.isValid() || !self.isSampled()) {
            return;
        }
        Context parentContext = parent.isValid() ? Context.root().with(Span.wrap(parent)) : Context.root();
        Span span = PresetIds.next(self.getTraceId(), self.getSpanId(), () -> tracer.spanBuilder(name)
                .setSpanKind(kind)
                .setParent(parentContext)
                .setStartTimestamp(startMillis, TimeUnit.MILLISECONDS)
                .setAllAttributes(attributes)
                .startSpan());
        span.end(Math.max(startMillis, endMillis), TimeUnit.MILLISECONDS);
    }

    private static String derivedSpanId(String parentSpanId, String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(parentSpanId.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            byte[] digest = sha.digest(key.getBytes(StandardCharsets.UTF_8));
            if (isZero(digest)) {
                digest[7] = 1; // all-zero span ids are invalid
            }
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean isZero(byte[] digest) {
        for (int i = 0; i < 8; i++) {
            if (digest[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Flushes the spans still queued and stops the exporter. */
    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private enum MapCarrier implements io.opentelemetry.context.propagation.TextMapGetter<Map<String, String>>,
            io.opentelemetry.context.propagation.TextMapSetter<Map<String, String>> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }

        @Override
        public void set(Map<String, String> carrier, String key, String value) {
            if (carrier != null) {
                carrier.put(key, value);
            }
        }
    }
}
