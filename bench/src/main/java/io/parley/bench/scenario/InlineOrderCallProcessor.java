package io.parley.bench.scenario;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S4's processor: the order-status flow done the naive way, calling the shop inside the
 * stream processor and waiting for it. Each turn holds its stream thread for the whole call,
 * so the rate is bounded by threads ÷ backend latency whatever Kafka could do.
 */
final class InlineOrderCallProcessor implements FixedKeyProcessorSupplier<String, ChatEvent, ChatReply> {

    private static final Logger LOG = LoggerFactory.getLogger(InlineOrderCallProcessor.class);
    private static final Pattern ORDER_NUMBER = Pattern.compile("\\border\\s+(\\d{1,12})\\b", Pattern.CASE_INSENSITIVE);

    private final BlockingOrderClient shop;

    InlineOrderCallProcessor(BlockingOrderClient shop) {
        this.shop = shop;
    }

    @Override
    public FixedKeyProcessor<String, ChatEvent, ChatReply> get() {
        return new Call();
    }

    private final class Call implements FixedKeyProcessor<String, ChatEvent, ChatReply> {

        private FixedKeyProcessorContext<String, ChatReply> context;

        @Override
        public void init(FixedKeyProcessorContext<String, ChatReply> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, ChatEvent> record) {
            ChatEvent event = record.value();
            if (event == null) {
                return;
            }
            Matcher order = ORDER_NUMBER.matcher(event.getText() == null ? "" : event.getText());
            if (!order.find()) {
                forward(record, event, ReplyKind.FALLBACK, "Ask me about an order, for example: where is my order 1001");
                return;
            }
            String orderId = order.group(1);
            try {
                Optional<String> status = shop.orderStatus(orderId, event.getUserId());
                forward(record, event, ReplyKind.ANSWER, status
                        .map(s -> "Order " + orderId + " is " + s)
                        .orElse("I found no order " + orderId + " for you."));
            } catch (IOException e) {
                LOG.warn("Order lookup failed for an event of {}-{} at offset {}: {}", context.recordMetadata()
                        .map(m -> m.topic()).orElse("?"), context.recordMetadata().map(m -> m.partition()).orElse(-1),
                        context.recordMetadata().map(m -> m.offset()).orElse(-1L), e.getMessage());
                forward(record, event, ReplyKind.ERROR, "Sorry, I cannot look up orders right now.");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StreamsException("Interrupted while calling the shop", e);
            }
        }

        private void forward(FixedKeyRecord<String, ChatEvent> record, ChatEvent event, ReplyKind kind, String text) {
            ChatReply reply = ChatReply.newBuilder()
                    .setReplyId(event.getEventId() + "-reply")
                    .setConversationId(event.getConversationId())
                    .setUserId(event.getUserId())
                    .setChannel(event.getChannel())
                    .setInReplyTo(event.getEventId())
                    .setKind(kind)
                    .setText(text)
                    .setQuickReplies(List.of())
                    .setData(Map.of())
                    .setCreatedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                    .build();
            context.forward(record.withValue(reply));
        }
    }
}
