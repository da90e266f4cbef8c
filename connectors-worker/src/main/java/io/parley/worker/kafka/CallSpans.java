package io.parley.worker.kafka;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.parley.runtime.tracing.Tracing;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import org.apache.kafka.common.header.Headers;

/**
 * A span per backend call, a child of the request span whose context the processor put in the
 * request record's headers. Its attributes say which connector and operation were called and how it
 * went (status, attempts), never parameters, results, URLs or credentials. Its context goes to the
 * backend (HTTP {@code traceparent}, while the span is current) and back in the response record's headers.
 */
final class CallSpans {

    static final AttributeKey<String> CONNECTOR = AttributeKey.stringKey("parley.connector");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("parley.operation");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("parley.status");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("parley.attempts");

    private final Tracing tracing;

    CallSpans(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Starts the span of a call; with tracing off it only carries the request's context on. */
    Span start(Headers requestHeaders, BackendRequest request) {
        Context parent = tracing.extract(requestHeaders);
        return tracing.tracer().spanBuilder("call " + request.getConnector() + "." + request.getOperation())
                .setSpanKind(SpanKind.CLIENT)
                .setParent(parent)
                .setAttribute(CONNECTOR, request.getConnector())
                .setAttribute(OPERATION, request.getOperation())
                .startSpan();
    }

    /** Ends the span with the call's outcome. */
    void end(Span span, BackendResponse response) {
        span.setAttribute(STATUS, response.getStatus().name());
        span.setAttribute(ATTEMPTS, (long) response.getAttempts());
        if (response.getStatus() != BackendStatus.OK) {
            // The status only: the error text may quote the backend's answer.
            span.setStatus(StatusCode.ERROR, response.getStatus().name());
        }
        span.end();
    }

    /** Ends the span of a call that failed inside the worker. */
    void fail(Span span, RuntimeException failure) {
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        span.end();
    }

    /** The call's context in the response record's headers. */
    void inject(Span span, Headers responseHeaders) {
        tracing.inject(Context.root().with(span), responseHeaders);
    }
}
