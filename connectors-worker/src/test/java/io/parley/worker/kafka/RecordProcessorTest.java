package io.parley.worker.kafka;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.serde.registry.RegisteredSchema;
import io.parley.serde.registry.SchemaRegistryClient;
import io.parley.serde.registry.SchemaRegistryException;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import io.parley.worker.Connectors;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the worker produces for a request record, on a mock producer with the call made on the calling thread. */
class RecordProcessorTest {

    private static final int LIMIT = 1 << 20;

    private final FlakyRegistry registry = new FlakyRegistry(InMemorySchemaRegistry.forScope("record-processor-" + UUID.randomUUID()));
    private final Topics topics = Topics.create(TopicNames.defaults(), registry);
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final List<Duration> pauses = new ArrayList<>();
    private final Connectors connectors = Connectors.builder().yaml("connectors.yaml", """
            connectors:
              - name: shop-api
                type: http
                baseUrl: https://shop.example
                operations:
                  getOrder: {path: "/orders/{orderId}"}
            """).build();
    private final RecordProcessor processor = new RecordProcessor(connectors, topics.backendRequests(), topics.backendResponses(),
            topics.workerDeadLetters().name(), producer, Runnable::run, new WorkerMetrics(new SimpleMeterRegistry()), pauses::add,
            LIMIT);

    @AfterEach
    void close() {
        connectors.close();
    }

    private ConsumerRecord<byte[], byte[]> recordOf(BackendRequest request) {
        byte[] value = topics.backendRequests().valueSerde().serializer().serialize(topics.names().backendRequests(), request);
        return new ConsumerRecord<>(topics.names().backendRequests(), 0, 7, request.getConversationId().getBytes(StandardCharsets.UTF_8),
                value);
    }

    @Test
    void aRequestIsAnsweredOnTheResponseTopicKeyedByConversation() throws Exception {
        BackendRequest request = request("billing", "getInvoice", Map.of());

        Disposition disposition = processor.process(recordOf(request)).get();

        assertThat(disposition).isEqualTo(Disposition.ANSWERED);
        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("backend.responses");
        assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo(request.getConversationId());
        BackendResponse response = topics.backendResponses().valueSerde().deserializer().deserialize(sent.topic(), sent.value());
        assertThat(response.getRequestId()).isEqualTo(request.getRequestId());
        assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
    }

    @Test
    void theAnswerGoesToThePartitionTheProcessorAskedForWhateverTheKeyHashesTo() throws Exception {
        // Given a response topic of 6 partitions, and a processor whose task holding the session reads partition 4
        MockProducer<byte[], byte[]> sixPartitions = new MockProducer<>(clusterWith("backend.responses", 6), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());
        RecordProcessor routed = new RecordProcessor(connectors, topics.backendRequests(), topics.backendResponses(),
                topics.workerDeadLetters().name(), sixPartitions, Runnable::run, new WorkerMetrics(new SimpleMeterRegistry()),
                pauses::add, LIMIT);
        BackendRequest request = request("billing", "getInvoice", Map.of());
        request.setReplyPartition(4);
        BackendRequest impossible = request("billing", "getInvoice", Map.of());
        impossible.setReplyPartition(9);

        routed.process(recordOf(request)).get();
        routed.process(recordOf(impossible)).get();

        // Then the answer is produced to exactly that partition; one the topic does not have falls back to the key
        assertThat(sixPartitions.history().get(0).partition()).isEqualTo(4);
        assertThat(sixPartitions.history().get(1).partition()).isNull();
    }

    @Test
    void aRequestFromAnOlderProcessorIsAnsweredByKey() throws Exception {
        BackendRequest request = request("billing", "getInvoice", Map.of());

        processor.process(recordOf(request)).get();

        assertThat(request.getReplyPartition()).isNull();
        assertThat(producer.history().get(0).partition()).isNull();
    }

    private static org.apache.kafka.common.Cluster clusterWith(String topic, int partitions) {
        org.apache.kafka.common.Node node = new org.apache.kafka.common.Node(0, "localhost", 9092);
        List<org.apache.kafka.common.PartitionInfo> infos = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            infos.add(new org.apache.kafka.common.PartitionInfo(topic, i, node, new org.apache.kafka.common.Node[] {node},
                    new org.apache.kafka.common.Node[] {node}));
        }
        return new org.apache.kafka.common.Cluster("test", List.of(node), infos, java.util.Set.of(), java.util.Set.of());
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAsItWas() throws Exception {
        ConsumerRecord<byte[], byte[]> garbage = new ConsumerRecord<>("backend.requests", 2, 41,
                "conv-1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0});

        Disposition disposition = processor.process(garbage).get();

        assertThat(disposition).isEqualTo(Disposition.DEAD_LETTERED);
        ProducerRecord<byte[], byte[]> letter = producer.history().get(0);
        assertThat(letter.topic()).isEqualTo("backend.requests.dlq");
        assertThat(letter.value()).isEqualTo(new byte[] {0, 0, 0, 0});
        assertThat(new String(letter.headers().lastHeader(DeadLetters.OFFSET).value(), StandardCharsets.UTF_8)).isEqualTo("41");
        assertThat(new String(letter.headers().lastHeader(DeadLetters.PARTITION).value(), StandardCharsets.UTF_8)).isEqualTo("2");
    }

    @Test
    void aRecordIsNotDeadLetteredWhileTheRegistryIsUnreachableButDeliveredAgain() throws Exception {
        ConsumerRecord<byte[], byte[]> record = recordOf(request("billing", "getInvoice", Map.of()));
        registry.down = true;

        Disposition disposition = processor.process(record).get();

        assertThat(disposition).isEqualTo(Disposition.NOT_SENT);
        assertThat(producer.history()).isEmpty();
        assertThat(pauses).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void aResponseKafkaDidNotAcceptLeavesTheRecordToBeDeliveredAgain() throws Exception {
        MockProducer<byte[], byte[]> failing = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        RecordProcessor withFailingProducer = new RecordProcessor(connectors, topics.backendRequests(), topics.backendResponses(),
                topics.workerDeadLetters().name(), failing, Runnable::run, new WorkerMetrics(new SimpleMeterRegistry()), pauses::add,
            LIMIT);

        var disposition = withFailingProducer.process(recordOf(request("billing", "getInvoice", Map.of())));
        failing.errorNext(new org.apache.kafka.common.errors.TimeoutException("no ack"));

        assertThat(disposition.get()).isEqualTo(Disposition.NOT_SENT);
    }

    @Test
    void aResponseTheBrokerRefusesAsTooLargeIsReplacedByAResponseTooLargeAnswerAndTheRecordIsAnswered() throws Exception {
        // Given a broker that refuses the first response record as too large
        MockProducer<byte[], byte[]> refusing = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordProcessor processor = new RecordProcessor(connectors, topics.backendRequests(), topics.backendResponses(),
                topics.workerDeadLetters().name(), refusing, Runnable::run, new WorkerMetrics(meters), pauses::add, LIMIT);
        BackendRequest request = request("billing", "getInvoice", Map.of());

        var disposition = processor.process(recordOf(request));
        refusing.errorNext(new RecordTooLargeException("the request included a message larger than the max message size"));

        // Then a small RESPONSE_TOO_LARGE answer is produced in its place, and the record counts as answered
        assertThat(refusing.completeNext()).isTrue();
        assertThat(disposition.get()).isEqualTo(Disposition.ANSWERED);
        assertThat(refusing.history()).hasSize(2);
        BackendResponse replaced = topics.backendResponses().valueSerde().deserializer()
                .deserialize("backend.responses", refusing.history().get(1).value());
        assertThat(replaced.getRequestId()).isEqualTo(request.getRequestId());
        assertThat(replaced.getStatus()).isEqualTo(BackendStatus.RESPONSE_TOO_LARGE);
        assertThat(replaced.getResult()).isNull();
        assertThat(replaced.getError()).contains("too large");
        assertThat(new String(refusing.history().get(1).key(), StandardCharsets.UTF_8)).isEqualTo(request.getConversationId());
        assertThat(meters.get(WorkerMetrics.RESPONSES_TOO_LARGE).counter().count()).isEqualTo(1);
    }

    @Test
    void aResponseLargerThanTheRecordLimitIsNeverSentAsItIs() throws Exception {
        // Given response records may be at most 150 bytes
        RecordProcessor small = new RecordProcessor(connectors, topics.backendRequests(), topics.backendResponses(),
                topics.workerDeadLetters().name(), producer, Runnable::run, new WorkerMetrics(new SimpleMeterRegistry()),
                pauses::add, 150);

        Disposition disposition = small.process(recordOf(request("billing", "getInvoice", Map.of()))).get();

        // Then only the RESPONSE_TOO_LARGE answer is produced
        assertThat(disposition).isEqualTo(Disposition.ANSWERED);
        assertThat(producer.history()).singleElement().satisfies(sent -> assertThat(topics.backendResponses().valueSerde()
                .deserializer().deserialize("backend.responses", sent.value()).getStatus()).isEqualTo(BackendStatus.RESPONSE_TOO_LARGE));
    }

    /** A registry that can be made unreachable. */
    private static final class FlakyRegistry implements SchemaRegistryClient {

        private final SchemaRegistryClient delegate;
        volatile boolean down;

        FlakyRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        private void check() {
            if (down) {
                throw new SchemaRegistryException("the registry did not answer", new ConnectException("refused"));
            }
        }

        @Override
        public int register(String subject, Schema schema) {
            check();
            return delegate.register(subject, schema);
        }

        @Override
        public int idOf(String subject, Schema schema) {
            check();
            return delegate.idOf(subject, schema);
        }

        @Override
        public RegisteredSchema latest(String subject) {
            check();
            return delegate.latest(subject);
        }

        @Override
        public Schema byId(int id) {
            check();
            return delegate.byId(id);
        }
    }
}
