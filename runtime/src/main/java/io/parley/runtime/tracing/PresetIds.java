package io.parley.runtime.tracing;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Random ids, except for a span recorded after the fact, whose ids were chosen (and handed to other
 * records) when the work began: {@link #next} makes the next span built on this thread take them.
 */
final class PresetIds implements IdGenerator {

    private static final ThreadLocal<String[]> NEXT = new ThreadLocal<>();

    private final IdGenerator random = IdGenerator.random();

    /** Runs {@code build} so that the span it starts gets {@code traceId} (for a root span) and {@code spanId}. */
    static <T> T next(String traceId, String spanId, java.util.function.Supplier<T> build) {
        NEXT.set(new String[] {traceId, spanId});
        try {
            return build.get();
        } finally {
            NEXT.remove();
        }
    }

    @Override
    public String generateSpanId() {
        String[] preset = NEXT.get();
        if (preset == null || preset[1] == null) {
            return random.generateSpanId();
        }
        String id = preset[1];
        preset[1] = null;
        return id;
    }

    @Override
    public String generateTraceId() {
        String[] preset = NEXT.get();
        if (preset == null || preset[0] == null) {
            return random.generateTraceId();
        }
        String id = preset[0];
        preset[0] = null;
        return id;
    }
}
