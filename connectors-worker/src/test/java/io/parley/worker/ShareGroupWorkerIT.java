package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Workers in a share group (KIP-932) on a real broker, calling a WireMock backend. */
class ShareGroupWorkerIT {

    /** Short acquisition locks, so records held by a stuck worker come back within the test. */
    private static final int LOCK_MILLIS = 3_000;

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    private static EmbeddedKafkaCluster kafka;

    private final List<ConnectorWorker> workers = new ArrayList<>();
    private KafkaTopicsSupport topics;

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.builder()
                .brokerProperty("group.share.min.record.lock.duration.ms", 1_000)
                .brokerProperty("group.share.record.lock.duration.ms", LOCK_MILLIS)
                .start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(ConnectorWorker::close);
        if (topics != null) {
            topics.close();
        }
    }

    private ConnectorWorker startWorker(String groupId, String basePath, int concurrency) {
        ConnectorWorker worker = ConnectorWorker.start(topics.workerConfig(groupId)
                .mode(WorkerMode.SHARE)
                .concurrency(concurrency)
                .consumers(1)
                .connectorYaml("connectors.yaml", """
                        connectors:
                          - name: shop-api
                            type: http
                            baseUrl: %s%s
                            allowPrivateNetworks: true
                            timeout: 30s
                            retry: {maxAttempts: 1}
                            operations:
                              getOrder:
                                path: /orders/{orderId}
                        """.formatted(shop.baseUrl(), basePath))
                .build());
        workers.add(worker);
        return worker;
    }

    private static BackendRequest order(int i) {
        return request("shop-api", "getOrder", Map.of("orderId", String.valueOf(i)), Instant.now().plusSeconds(60));
    }

    private Map<String, BackendResponse> awaitResponses(int count, Duration timeout) {
        Map<String, BackendResponse> byRequest = new LinkedHashMap<>();
        await().atMost(timeout).until(() -> {
            topics.pollResponses().forEach(record -> byRequest.put(record.value().getRequestId(), record.value()));
            return byRequest.size() >= count;
        });
        return byRequest;
    }

    private static void awaitMembers(String groupId, int members) {
        try (Admin admin = kafka.admin()) {
            // Until the first member joins, the group does not exist and describing it fails.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> admin.describeShareGroups(List.of(groupId))
                    .describedGroups().get(groupId).get().members().size() == members);
        }
    }

    @Test
    void threeWorkersInOneShareGroupOnOnePartitionAllReceiveWork() {
        // Given three workers sharing one single-partition request topic
        topics = new KafkaTopicsSupport(kafka, 1);
        kafka.startShareGroupAtEarliest("workers-three");
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}").withFixedDelay(100)));
        List<ConnectorWorker> three = List.of(startWorker("workers-three", "", 2), startWorker("workers-three", "", 2),
                startWorker("workers-three", "", 2));
        awaitMembers("workers-three", 3);

        // When sixty requests arrive
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            BackendRequest request = order(i);
            sent.add(request.getRequestId());
            topics.send(request);
        }

        // Then every request is answered, keyed by its conversation, and every worker did part of the work
        Map<String, BackendResponse> responses = awaitResponses(60, Duration.ofSeconds(60));
        assertThat(responses.keySet()).isEqualTo(sent);
        assertThat(responses.values()).allSatisfy(response -> assertThat(response.getStatus()).isEqualTo(BackendStatus.OK));
        three.forEach(AnsweredRecords::awaitSome);
    }

    @Test
    void aWorkerWhoseCallsOutliveTheLockKeepsItsRecordsAndNoneIsCalledTwice() {
        // Given a worker whose backend calls take four times the acquisition lock holds records (it renews their
        // locks); four, so that the healthy worker below has joined and taken the other records well before the
        // slow worker is free to take them, even on a loaded machine
        topics = new KafkaTopicsSupport(kafka, 1);
        kafka.startShareGroupAtEarliest("workers-slow");
        shop.stubFor(get(urlPathMatching("/slow/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")
                .withFixedDelay(4 * LOCK_MILLIS)));
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        List<BackendRequest> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(order(i));
            topics.send(requests.get(i));
        }
        ConnectorWorker slow = startWorker("workers-slow", "/slow", 4);
        await().atMost(Duration.ofSeconds(40)).until(() ->
                shop.findAll(getRequestedFor(urlPathMatching("/slow/orders/.*"))).size() == 4);
        Set<String> held = shop.findAll(getRequestedFor(urlPathMatching("/slow/orders/.*"))).stream()
                .map(call -> call.getHeader("Idempotency-Key")).collect(Collectors.toSet());

        // When a healthy worker joins the group
        ConnectorWorker healthy = startWorker("workers-slow", "", 4);

        // Then every request is answered, the held ones by the slow worker: no backend call is made twice
        Map<String, BackendResponse> responses = awaitResponses(8, Duration.ofSeconds(60));
        assertThat(responses.keySet()).containsExactlyInAnyOrderElementsOf(
                requests.stream().map(BackendRequest::getRequestId).toList());
        assertThat(responses.values()).allSatisfy(response -> assertThat(response.getStatus()).isEqualTo(BackendStatus.OK));
        Set<String> answeredByHealthy = shop.findAll(getRequestedFor(urlPathMatching("/orders/.*"))).stream()
                .map(call -> call.getHeader("Idempotency-Key")).collect(Collectors.toSet());
        assertThat(answeredByHealthy).doesNotContainAnyElementsOf(held).hasSize(4);
        assertThat(shop.findAll(getRequestedFor(urlPathMatching("/slow/orders/.*")))).hasSize(4);
        AnsweredRecords.awaitCount(slow, 4);
        AnsweredRecords.awaitCount(healthy, 4);
    }

    @Test
    void aWorkerShuttingDownReleasesItsInFlightRecordsToAnother() {
        // Given a worker with calls in flight that will not finish within its shutdown timeout
        topics = new KafkaTopicsSupport(kafka, 1);
        kafka.startShareGroupAtEarliest("workers-shutdown");
        shop.stubFor(get(urlPathMatching("/slow/orders/.*")).willReturn(okJson("{\"status\": \"late\"}").withFixedDelay(30_000)));
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        for (int i = 0; i < 3; i++) {
            topics.send(order(i));
        }
        ConnectorWorker leaving = startWorker("workers-shutdown", "/slow", 4);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                shop.findAll(getRequestedFor(urlPathMatching("/slow/orders/.*"))).size() == 3);
        ConnectorWorker staying = startWorker("workers-shutdown", "", 4);

        // When the first worker shuts down (what SIGTERM does)
        leaving.close();

        // Then it released its records rather than answering them late, and the other worker answers them
        assertThat(leaving.meterRegistry().get("parley.worker.records.released").counter().count()).isEqualTo(3);
        Map<String, BackendResponse> responses = awaitResponses(3, Duration.ofSeconds(20));
        assertThat(responses.values()).allSatisfy(response -> assertThat(response.getStatus()).isEqualTo(BackendStatus.OK));
        AnsweredRecords.awaitCount(staying, 3);
        assertThat(leaving.metrics().answeredCount()).isZero();
    }

    @Test
    void requestsSentBeforeTheFirstWorkerOfANewGroupJoinedAreAnswered() {
        // Given a share group nobody has configured (no kafka-init, as in Kubernetes) and requests the processor
        // sent before any worker started
        topics = new KafkaTopicsSupport(kafka, 1);
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            BackendRequest request = order(i);
            sent.add(request.getRequestId());
            topics.send(request);
        }

        // When the first worker of the group starts
        startWorker("workers-late-start", "", 2);

        // Then it answers them (a new share group starts at the latest offset unless told otherwise: they were skipped)
        Map<String, BackendResponse> responses = awaitResponses(3, Duration.ofSeconds(30));
        assertThat(responses.keySet()).isEqualTo(sent);
        try (Admin admin = kafka.admin()) {
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "workers-late-start");
            assertThat(await().atMost(Duration.ofSeconds(10)).until(() -> admin.describeConfigs(List.of(group)).all().get()
                    .get(group).get("share.auto.offset.reset").value(), "earliest"::equals)).isEqualTo("earliest");
        }
    }

    @Test
    void aResponseCarriesItsRequestsTimestampSoItIsNotQueuedBehindNewerChatEvents() {
        // Given a worker, and requests stamped (as the processor stamps them) with the time their turn's message
        // arrived: a minute ago, and an hour ago
        topics = new KafkaTopicsSupport(kafka, 1);
        kafka.startShareGroupAtEarliest("workers-timestamps");
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        startWorker("workers-timestamps", "", 2);
        long aMinuteAgo = System.currentTimeMillis() - 60_000;
        long anHourAgo = System.currentTimeMillis() - 3_600_000;
        BackendRequest recent = order(1);
        BackendRequest old = order(2);

        // When the worker answers them
        topics.send(recent, aMinuteAgo);
        topics.send(old, anHourAgo);

        // Then each response record has its request's timestamp, not the time it was written: the processor's
        // task, which handles the lowest timestamp of its partitions first, takes the answer before chat events
        // that arrived after the turn started (behind a backlog of them, a turn stamped "now" missed its deadline)
        Map<String, Long> timestamps = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            topics.pollResponses().forEach(record -> timestamps.put(record.value().getRequestId(), record.timestamp()));
            return timestamps.size() >= 2;
        });
        assertThat(timestamps).containsEntry(recent.getRequestId(), aMinuteAgo).containsEntry(old.getRequestId(), anHourAgo);
    }

    @Test
    void aBatchWhoseCallsAllEndedIsAcknowledgedWithoutWaitingForMoreRequests() {
        // Given a worker on a single-partition request topic
        topics = new KafkaTopicsSupport(kafka, 1);
        kafka.startShareGroupAtEarliest("workers-acks");
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        startWorker("workers-acks", "", 4);

        // When ten requests are answered and no more come
        for (int i = 0; i < 10; i++) {
            topics.send(order(i));
        }
        awaitResponses(10, Duration.ofSeconds(30));

        // Then the group holds every one of them acknowledged: none would be delivered again should the worker die now
        TopicPartition requests = new TopicPartition(topics.names.backendRequests(), 0);
        try (Admin admin = kafka.admin()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                SharePartitionOffsetInfo info = admin.listShareGroupOffsets(Map.of("workers-acks", new ListShareGroupOffsetsSpec()))
                        .partitionsToOffsetInfo("workers-acks").get().get(requests);
                assertThat(info).isNotNull().extracting(SharePartitionOffsetInfo::lag).isEqualTo(Optional.of(0L));
            });
        }
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndTheWorkerCarriesOn() {
        // Given
        topics = new KafkaTopicsSupport(kafka, 1);
        kafka.startShareGroupAtEarliest("workers-dlq");
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        ConnectorWorker worker = startWorker("workers-dlq", "", 2);

        // When a record that is not a BackendRequest arrives, then a good one and one for an unknown connector
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        BackendRequest good = order(1);
        BackendRequest unknown = request("billing", "getInvoice", Map.of());
        try (CapturedLogs logs = new CapturedLogs(Level.WARN)) {
            topics.sendRaw("conv-x".getBytes(StandardCharsets.UTF_8), "not avro at all".getBytes(StandardCharsets.UTF_8));
            topics.send(good);
            topics.send(unknown);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                letters.addAll(topics.pollDeadLetters());
                return !letters.isEmpty();
            });

            // Then the skip is logged with topic, partition and offset
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).startsWith("WARN ")
                    .contains("Skipping request record " + topics.names.backendRequests() + "-0@0")
                    .contains("sent to " + topics.names.workerDeadLetters()));
        }

        // And the unreadable record is dead-lettered as it was, with the reason; the others are answered
        ConsumerRecord<byte[], byte[]> letter = letters.get(0);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("conv-x");
        assertThat(new String(letter.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
                .startsWith("not a readable BackendRequest");
        assertThat(new String(letter.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8))
                .isEqualTo(topics.names.backendRequests());
        Map<String, BackendResponse> responses = awaitResponses(2, Duration.ofSeconds(20));
        assertThat(responses.get(good.getRequestId()).getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(responses.get(unknown.getRequestId()).getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(worker.meterRegistry().get("parley.worker.records.skipped").tag("reason", "undecodable").counter().count())
                .isEqualTo(1);
        assertThat(worker.isRunning()).isTrue();
    }
}
