package io.parley.worker.kafka;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.schemas.BackendRequest;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import io.parley.worker.Connectors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 15: a consumer loop that failed unexpectedly was left dead, and the worker took no more
 * requests. It is now started again with a new consumer, after a backoff, logged once per failure
 * and counted.
 */
class LoopRestartTest {

    private static final LoopRestarts FAST = new LoopRestarts(Duration.ofMillis(10), Duration.ofMillis(200));

    private final Topics topics = Topics.create(TopicNames.defaults(),
            InMemorySchemaRegistry.forScope("loop-restart-" + UUID.randomUUID()));
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(meters);
    private final Connectors connectors = Connectors.builder().yaml("connectors.yaml", """
            connectors:
              - name: shop-api
                type: http
                baseUrl: https://shop.example
                operations:
                  getOrder: {path: "/orders/{orderId}"}
            """).build();
    private final RecordProcessor processor = new RecordProcessor(connectors, topics.backendRequests(), topics.backendResponses(),
            topics.workerDeadLetters().name(), producer, Runnable::run, metrics, duration -> { }, 1 << 20);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger shareLog;
    private Logger classicLog;

    @BeforeEach
    void captureLogs() {
        logs.start();
        shareLog = (Logger) LoggerFactory.getLogger(ShareGroupLoop.class);
        classicLog = (Logger) LoggerFactory.getLogger(ClassicGroupLoop.class);
        shareLog.addAppender(logs);
        classicLog.addAppender(logs);
    }

    @AfterEach
    void close() {
        shareLog.detachAppender(logs);
        classicLog.detachAppender(logs);
        connectors.close();
    }

    private ConsumerRecord<byte[], byte[]> recordOf(BackendRequest request, int partition, long offset) {
        byte[] value = topics.backendRequests().valueSerde().serializer().serialize("backend.requests", request);
        return new ConsumerRecord<>("backend.requests", partition, offset, request.getConversationId().getBytes(StandardCharsets.UTF_8),
                value);
    }

    private List<String> errors() {
        return logs.list.stream().filter(event -> event.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aShareLoopThatFailsIsStartedAgainWithANewConsumer() throws Exception {
        // Given a share consumer whose first poll fails unexpectedly, and a second one with a request waiting
        AtomicInteger made = new AtomicInteger();
        MockShareConsumer<byte[], byte[]> healthy = new MockShareConsumer<>() {
            @Override
            public synchronized void subscribe(java.util.Collection<String> topics) {
                super.subscribe(topics);
                addRecord(recordOf(request("billing", "getInvoice", Map.of()), 0, 0));
            }
        };
        ShareGroupLoop loop = new ShareGroupLoop(() -> made.incrementAndGet() == 1 ? new FailingShareConsumer() : healthy,
                "backend.requests", processor, Duration.ofSeconds(1), metrics, Reachability.ALWAYS, FAST);

        // When the loop runs
        Thread thread = new Thread(loop);
        thread.start();
        try {
            // Then the request is answered by the new consumer, and the failure was logged once and counted
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
            assertThat(thread.isAlive()).isTrue();
            assertThat(made.get()).isEqualTo(2);
            assertThat(errors()).singleElement().asString()
                    .isEqualTo("The share consumer loop of backend.requests failed (1 in a row); a new consumer starts in 10 ms");
            assertThat(meters.get(WorkerMetrics.LOOP_RESTARTS).tag("mode", "share").counter().count()).isEqualTo(1);
        } finally {
            loop.stop();
            thread.join(10_000);
        }
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void aClassicLoopThatKeepsFailingBacksOffMoreEachTime() throws Exception {
        // Given consumers that fail on every poll
        AtomicInteger made = new AtomicInteger();
        ClassicGroupLoop loop = new ClassicGroupLoop(() -> {
            made.incrementAndGet();
            MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
            consumer.setPollException(new KafkaException("the client is in a state it cannot leave"));
            return consumer;
        }, "backend.requests", processor, 10, Duration.ofSeconds(1), metrics, FAST);

        Thread thread = new Thread(loop);
        thread.start();
        try {
            // Then it is started again and again, each failure logged once, with a growing wait
            await().atMost(Duration.ofSeconds(10)).until(() -> made.get() >= 5);
        } finally {
            loop.stop();
            thread.join(10_000);
        }
        assertThat(thread.isAlive()).isFalse();
        assertThat(errors()).hasSizeGreaterThanOrEqualTo(4).startsWith(
                "The consumer loop of backend.requests failed (1 in a row); a new consumer starts in 10 ms",
                "The consumer loop of backend.requests failed (2 in a row); a new consumer starts in 20 ms",
                "The consumer loop of backend.requests failed (3 in a row); a new consumer starts in 40 ms",
                "The consumer loop of backend.requests failed (4 in a row); a new consumer starts in 80 ms");
        assertThat(meters.get(WorkerMetrics.LOOP_RESTARTS).tag("mode", "classic").counter().count())
                .isEqualTo(errors().size());
    }

    @Test
    void theBackoffDoublesUpToItsMaximumAndStartsOverAfterALongRun() {
        LoopRestarts restarts = new LoopRestarts(Duration.ofSeconds(1), Duration.ofSeconds(30));

        assertThat(List.of(1, 2, 3, 5, 6, 20).stream().map(restarts::backoff).map(Duration::toSeconds).toList())
                .containsExactly(1L, 2L, 4L, 16L, 30L, 30L);
        assertThat(restarts.failuresInARow(4, Duration.ofSeconds(2))).isEqualTo(5);
        assertThat(restarts.failuresInARow(4, Duration.ofMinutes(5))).isEqualTo(1);
    }

    /** A share consumer whose client broke. */
    private static final class FailingShareConsumer extends MockShareConsumer<byte[], byte[]> {

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            throw new IllegalStateException("the share consumer broke");
        }
    }

}
