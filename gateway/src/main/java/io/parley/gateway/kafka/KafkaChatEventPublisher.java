package io.parley.gateway.kafka;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.parley.gateway.chat.ChatEventPublisher;
import io.parley.runtime.tracing.Tracing;
import io.parley.schemas.ChatEvent;
import io.parley.topics.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces chat events to {@code chat.events}, keyed by conversation id, idempotently with acks=all.
 * Each message received is a span ({@code chat message}, from receipt to Kafka's acknowledgement)
 * whose W3C context goes in the record's {@code traceparent} header, so the processor's turn
 * continues the trace. Its attributes are the channel and the event type, never user, text or payload.
 */
public final class KafkaChatEventPublisher implements ChatEventPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaChatEventPublisher.class);
    private final Topic<String, ChatEvent> topic;
    static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("parley.channel");
    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("parley.event.type");

    private final KafkaProducer<String, ChatEvent> producer;
    private final Tracing tracing;

    public KafkaChatEventPublisher(Topic<String, ChatEvent> topic, Map<String, Object> kafkaConfig) {
        this(topic, kafkaConfig, Tracing.off());
    }

    /** @param tracing the span of each message; off, no trace context is added */
    public KafkaChatEventPublisher(Topic<String, ChatEvent> topic, Map<String, Object> kafkaConfig, Tracing tracing) {
        this.topic = topic;
        this.tracing = tracing;
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        // send() runs on the HTTP threads: never block them long waiting for metadata.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "parley-gateway");
        this.producer = new KafkaProducer<>(config, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @Override
    public CompletionStage<Void> publish(ChatEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Span span = tracing.tracer().spanBuilder("chat message")
                .setSpanKind(SpanKind.PRODUCER)
                .setNoParent()
                .setAttribute(CHANNEL, event.getChannel())
                .setAttribute(EVENT_TYPE, event.getType().name())
                .startSpan();
        done.whenComplete((ok, failure) -> {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            }
            span.end();
        });
        RecordHeaders headers = new RecordHeaders();
        tracing.inject(Context.root().with(span), headers);
        try {
            producer.send(new ProducerRecord<>(topic.name(), null, event.getConversationId(), event, headers), (metadata, failure) -> {
                if (failure == null) {
                    done.complete(null);
                } else {
                    // The event id only: message text is personal data and stays out of logs.
                    LOG.warn("chat event {} not produced to {}: {}", event.getEventId(), topic.name(), failure.toString());
                    done.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("chat event {} not produced to {}: {}", event.getEventId(), topic.name(), e.toString());
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
