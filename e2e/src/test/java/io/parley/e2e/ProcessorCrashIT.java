package io.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.e2e.env.AdminEndpoint;
import io.parley.e2e.env.ChildJvm;
import io.parley.e2e.env.Pipeline;
import io.parley.e2e.env.RunDirectory;
import io.parley.e2e.load.ExactlyOnceVerdict;
import io.parley.e2e.load.LoadPlan;
import io.parley.e2e.load.LoadRun;
import io.parley.e2e.load.OpenTransactionWatch;
import io.parley.e2e.load.OpenTransactionWatch.OpenRequest;
import io.parley.e2e.load.TopicTail;
import io.parley.processor.ProcessorMain;
import io.parley.schemas.BackendRequest;
import io.parley.topics.Topic;
import io.parley.worker.ConnectorWorker;
import io.parley.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The processor crashes in the middle of the load — its own JVM killed with SIGKILL while a
 * transaction holding a voucher claim is open; no commit, no goodbye to the group — and a new
 * instance takes over. The promise still holds: every message gets exactly one final reply, in
 * order, every write is applied once, and no backend is called for a request the crash aborted.
 */
class ProcessorCrashIT {

    private static final int CONVERSATIONS = 1_000;
    private static final int CONCURRENCY = 200;
    private static final LoadPlan PLAN = LoadPlan.of(CONVERSATIONS);

    private static Path directory;
    private static Pipeline pipeline;
    private static ConnectorWorker worker;

    @BeforeAll
    static void startPipeline() throws Exception {
        directory = RunDirectory.fresh(ProcessorCrashIT.class);
        pipeline = Pipeline.start(directory, Duration.ofMillis(20));
        pipeline.loyalty().openAccounts(PLAN.cardNumbersByCustomer());
        worker = ConnectorWorker.start(WorkerConfig.load(pipeline.workerConfig("worker", 0)));
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aProcessorKilledMidLoadIsReplacedAndEveryMessageStillGetsExactlyOneFinalReply() throws Exception {
        // Given a processor in its own JVM, and the load under way
        Path state = directory.resolve("processor-state");
        Topic<String, BackendRequest> requests = pipeline.topics().backendRequests();
        String bootstrap = pipeline.kafka().bootstrapServers();
        try (ChildJvm first = startProcessor("processor-1", state);
             LoadRun run = LoadRun.start(pipeline, PLAN, CONCURRENCY);
             Admin admin = pipeline.kafka().admin();
             OpenTransactionWatch watch = new OpenTransactionWatch(bootstrap, admin, requests.name(),
                     requests.valueSerde().deserializer());
             TopicTail<BackendRequest> everyRequestWritten = new TopicTail<>(bootstrap, requests.name(),
                     requests.valueSerde().deserializer(), IsolationLevel.READ_UNCOMMITTED)) {
            await().atMost(Duration.ofMinutes(3)).until(() -> run.finishedConversations() >= CONVERSATIONS / 3);

            // When it is killed while one of its transactions holds a voucher claim for the shop API,
            // and a new instance starts on the same state folder (a restarted pod)
            AtomicReference<OpenRequest> claimSeenOpen = new AtomicReference<>();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> frozenWithOpenClaim(first, watch, claimSeenOpen));
            first.kill();
            int finishedAtCrash = run.finishedConversations();
            try (ChildJvm second = startProcessor("processor-2", state)) {
                ExactlyOnceVerdict verdict = run.finish(Duration.ofMinutes(4), Duration.ofMinutes(1));

                // Then each message got exactly its one final reply, in order
                assertThat(finishedAtCrash).as("conversations finished when the processor died").isLessThan(CONVERSATIONS);
                assertThat(verdict.holds()).withFailMessage(() -> verdict.report() + run.settled().backendAnswersOf(verdict.offendingEvents()) + "\nlogs: " + first.log() + ", " + second.log())
                        .isTrue();
                // and each request was committed once and answered, and each write applied once
                BackendChecks.assertRequestsIssuedOnceAndAnswered(run.settled());
                BackendChecks.assertWritesAppliedExactlyOnce(PLAN, pipeline);
                // and no worker called for a request of the aborted transaction (the workers read committed
                // requests only): each claim, aborted and issued again or not, reached the API once
                assertThat(pipeline.shop().claimDeliveries()).as("workers that delivered each claim, by idempotency key")
                        .allSatisfy((key, workers) -> assertThat(workers).hasSize(1));
                Map<String, Long> aborted = abortedRequests(everyRequestWritten.catchUp(), run.settled().requests());
                String seenOpen = claimSeenOpen.get().request().getRequestId();
                System.out.printf("Processor killed after %d conversations; the crash aborted %d requests (%d claims), issued"
                                + " again and called once; the claim seen open when it was frozen, %s, %s%n", finishedAtCrash,
                        aborted.size(), aborted.keySet().stream().filter(id -> PLAN.claimKeys().contains(id)).count(), seenOpen,
                        aborted.containsKey(seenOpen) ? "was among them" : "committed after all");
            }
        }
    }

    /**
     * Whether the processor is now frozen (SIGSTOP) with a voucher claim in a transaction still open:
     * a crash at this instant aborts it. Frozen first, then checked, because the transaction could
     * commit between a check and a kill; when it did, the processor runs on and the wait goes on.
     */
    private static boolean frozenWithOpenClaim(ChildJvm processor, OpenTransactionWatch watch, AtomicReference<OpenRequest> claim)
            throws Exception {
        Optional<OpenRequest> open = watch.openRequest(request -> request.getOperation().equals("claimVoucher"));
        if (open.isEmpty()) {
            return false;
        }
        processor.freeze();
        if (watch.isOpen(open.get())) {
            claim.set(open.get());
            return true;
        }
        processor.resume();
        return false;
    }

    /** Request ids written more often than committed: those of transactions the crash aborted. */
    private static Map<String, Long> abortedRequests(List<BackendRequest> written, List<BackendRequest> committed) {
        Map<String, Long> counts = written.stream().collect(Collectors.groupingBy(BackendRequest::getRequestId, Collectors.counting()));
        committed.forEach(request -> counts.merge(request.getRequestId(), -1L, Long::sum));
        counts.values().removeIf(count -> count <= 0);
        return counts;
    }

    /** Starts {@code parley-processor --config processor.yaml} in its own JVM and waits until it processes. */
    private static ChildJvm startProcessor(String name, Path state) throws InterruptedException {
        AdminEndpoint admin = AdminEndpoint.onFreePort();
        ChildJvm processor = ChildJvm.start(name, ProcessorMain.class, pipeline.processorConfig(name, state, admin.port()));
        await().atMost(Duration.ofMinutes(2)).until(() -> admin.isReady() || !processor.isAlive());
        assertThat(processor.isAlive()).as("%s is running (see its log)", processor).isTrue();
        return processor;
    }
}
