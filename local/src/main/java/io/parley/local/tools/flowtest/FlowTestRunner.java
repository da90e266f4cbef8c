package io.parley.local.tools.flowtest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.local.tools.flowtest.FlowTestSuite.Stub;
import io.parley.local.tools.flowtest.FlowTestSuite.TestCase;
import io.parley.local.tools.flowtest.FlowTestSuite.Turn;
import io.parley.processor.ProcessorWiring;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RocksDbMemory;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.state.Session;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs a file of conversation tests on the processor's real topology ({@link ProcessorWiring},
 * as in production) in a {@link TopologyTestDriver}: no broker, milliseconds per turn. Connector
 * calls are answered by the tests' stubs, in the order of their delays, with the wall clock
 * advanced to each answer so interim messages, deadlines and late answers happen as they would.
 */
public final class FlowTestRunner {

    /** When every test's conversation starts: fixed, so runs are repeatable. */
    static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private final Clock wallClock;

    /** @param wallClock measures how long each test takes, for the report */
    public FlowTestRunner(Clock wallClock) {
        this.wallClock = wallClock;
    }

    /** Runs every test of the file; a test that fails does not stop the others. */
    public FlowTestResult.Suite run(FlowTestSuite suite) {
        List<FlowTestResult> results = new ArrayList<>();
        try (Harness harness = new Harness(suite)) {
            for (int i = 0; i < suite.tests().size(); i++) {
                results.add(run(harness, suite.tests().get(i), "test-" + (i + 1) + "-" + UUID.randomUUID()));
            }
        }
        return new FlowTestResult.Suite(suite.file(), results);
    }

    private FlowTestResult run(Harness harness, TestCase test, String conversationId) {
        long started = wallClock.millis();
        Conversation conversation = new Conversation(harness, test, conversationId);
        for (int i = 0; i < test.turns().size(); i++) {
            Turn turn = test.turns().get(i);
            Optional<String> failure;
            try {
                Observed observed = conversation.play(turn);
                failure = turn.expect().flatMap(expect -> Diff.of(expect, observed));
            } catch (StubMissingException e) {
                failure = Optional.of(e.getMessage());
            }
            if (failure.isPresent()) {
                String where = turn.where() + (turn.say().map(text -> " (say: \"" + text + "\")").orElse(""));
                return FlowTestResult.failed(test.name(), wallClock.millis() - started, where, failure.get());
            }
        }
        return FlowTestResult.passed(test.name(), wallClock.millis() - started);
    }

    /** What one conversation entry produced. */
    record Observed(List<ChatReply> replies, List<BackendRequest> calls, Map<String, String> slots, List<AuditEvent> audit) {
    }

    /** A call made with no stub for it: the test cannot go on. */
    static final class StubMissingException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        StubMissingException(String message) {
            super(message);
        }
    }

    /** One test's conversation: its events, its scheduled answers, its clock. */
    private static final class Conversation {

        private final Harness harness;
        private final TestCase test;
        private final String conversationId;
        private int events;

        Conversation(Harness harness, TestCase test, String conversationId) {
            this.harness = harness;
            this.test = test;
            this.conversationId = conversationId;
        }

        Observed play(Turn turn) {
            harness.drain();
            List<BackendRequest> calls = new ArrayList<>();
            if (turn.say().isPresent() || turn.sessionStart()) {
                ChatEventType type = turn.sessionStart() ? ChatEventType.SESSION_START : ChatEventType.MESSAGE;
                harness.send(ChatEvent.newBuilder()
                        .setEventId(conversationId + "-e" + ++events)
                        .setConversationId(conversationId)
                        .setUserId(turn.user().orElse(test.user()))
                        .setChannel(turn.channel().orElse(test.channel()))
                        .setType(type)
                        .setText(turn.say().orElse(null))
                        .setPayload(Map.of())
                        .setLocale(null)
                        .setOccurredAt(harness.now())
                        .build());
                answerCalls(calls);
            } else {
                harness.advance(turn.pause());
            }
            Session session = harness.session(conversationId);
            Map<String, String> slots = session == null || session.getTurn() == null ? Map.of() : Map.copyOf(session.getTurn().getSlots());
            return new Observed(harness.replies(), calls, slots, harness.audit());
        }

        /** Answers every call with its stub, earliest answer first, until no call is outstanding. */
        private void answerCalls(List<BackendRequest> calls) {
            PriorityQueue<Scheduled> due = new PriorityQueue<>(Comparator.comparing(Scheduled::at).thenComparing(Scheduled::order));
            int order = 0;
            while (true) {
                for (BackendRequest request : harness.requests()) {
                    calls.add(request);
                    Stub stub = test.stubs().stream()
                            .filter(s -> s.matches(request.getConnector(), request.getOperation(), request.getParams()))
                            .findFirst()
                            .orElseThrow(() -> new StubMissingException("no stub answers the call " + request.getConnector() + "."
                                    + request.getOperation() + " " + new java.util.TreeMap<>(request.getParams())
                                    + "; add one under stubs: (connector, operation, params, status, body, delay)"));
                    due.add(new Scheduled(harness.now().plus(stub.delay()), order++, request, stub));
                }
                Scheduled next = due.poll();
                if (next == null) {
                    return;
                }
                if (next.at().isAfter(harness.now())) {
                    harness.advance(Duration.between(harness.now(), next.at()));
                }
                harness.answer(next.request(), next.stub());
            }
        }
    }

    private record Scheduled(Instant at, int order, BackendRequest request, Stub stub) {
    }

    /** The topology in a test driver, with the topics the tests use. */
    private static final class Harness implements AutoCloseable {

        private final Path stateDir;
        private final RocksDbMemory memory;
        private final TopologyTestDriver driver;
        private final TestInputTopic<String, ChatEvent> chatEvents;
        private final TestInputTopic<String, BackendResponse> responses;
        private final TestOutputTopic<String, BackendRequest> requests;
        private final TestOutputTopic<String, ChatReply> replies;
        private final TestOutputTopic<String, AuditEvent> audit;
        private final Duration tick;
        private Instant now = START;

        Harness(FlowTestSuite suite) {
            ProcessorConfig config = ProcessorConfig.builder()
                    .kafka("bootstrap.servers", "unused:9092")
                    .kafka("application.id", "parley-flow-test")
                    .schemaRegistry("schema.registry.url", "mock://parley-flow-test-" + UUID.randomUUID())
                    .flows(suite.flows())
                    .build();
            try {
                this.stateDir = Files.createTempDirectory("parley-flow-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
            this.memory = new RocksDbMemory(config.rocksDb());
            Map<String, Object> streamsProperties = ProcessorWiring.streamsProperties(config, metrics, memory);
            FlowCatalog flows = ProcessorWiring.flows(config);
            Topology topology = ProcessorWiring.topology(config, flows, metrics, streamsProperties);
            Properties props = new Properties();
            props.putAll(streamsProperties);
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            this.driver = new TopologyTestDriver(topology, props, START);
            this.tick = config.conversation().punctuationInterval();
            Topics topics = Topics.create(config.topics(), config.schemaRegistry());
            this.chatEvents = input(topics.chatEvents());
            this.responses = input(topics.backendResponses());
            this.requests = output(topics.backendRequests());
            this.audit = output(topics.audit());
            this.replies = output(topics.replies(config.topics().defaultReplies()));
        }

        private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
            return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
        }

        private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
            return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        }

        Instant now() {
            return now;
        }

        void send(ChatEvent event) {
            chatEvents.pipeInput(new TestRecord<>(event.getConversationId(), event, now));
        }

        void answer(BackendRequest request, Stub stub) {
            boolean ok = stub.status() == BackendStatus.OK;
            responses.pipeInput(new TestRecord<>(request.getConversationId(), BackendResponse.newBuilder()
                    .setRequestId(request.getRequestId())
                    .setConversationId(request.getConversationId())
                    .setConnector(request.getConnector())
                    .setOperation(request.getOperation())
                    .setStatus(stub.status())
                    .setResult(ok ? stub.body().orElse("{}") : null)
                    .setError(ok ? null : stub.status().name())
                    .setLatencyMs(stub.delay().toMillis())
                    .setAttempts(1)
                    .setCompletedAt(now)
                    .build(), now));
        }

        /**
         * Time passes as it would in production: in steps of the punctuation interval, so an interim
         * message fires before a deadline that falls in the same stretch of time.
         */
        void advance(Duration duration) {
            Duration left = duration;
            while (left.compareTo(tick) > 0) {
                step(tick);
                left = left.minus(tick);
            }
            step(left);
        }

        private void step(Duration duration) {
            now = now.plus(duration);
            driver.advanceWallClockTime(duration);
        }

        List<BackendRequest> requests() {
            return requests.readValuesToList();
        }

        List<ChatReply> replies() {
            return replies.readValuesToList();
        }

        /** The audit steps: TURN records (audit.mode turn) as the steps they carry, so expectations hold in both modes. */
        List<AuditEvent> audit() {
            return audit.readValuesToList().stream().flatMap(record -> AuditSteps.of(record).stream()).toList();
        }

        /** Forgets what earlier tests left unread. */
        void drain() {
            requests();
            replies();
            audit();
        }

        Session session(String conversationId) {
            KeyValueStore<String, Session> sessions = driver.getKeyValueStore("sessions");
            return sessions.get(conversationId);
        }

        @Override
        public void close() {
            driver.close();
            memory.close();
            try (var files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
