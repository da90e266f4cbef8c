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
import io.parley.processor.ParleyProcessor;
import io.parley.processor.config.ProcessorConfig;
import io.parley.worker.ConnectorWorker;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One of two workers in the share group dies in the middle of the load — its own JVM killed with
 * SIGKILL while it holds requests, some of them claims the shop API has already applied but not
 * yet answered. Their record locks expire, the other worker gets them and calls again with the same
 * idempotency key; the API applies each claim once, the database's inbox each redemption once, and
 * every message still gets exactly one final reply.
 */
class WorkerCrashIT {

    private static final int CONVERSATIONS = 1_000;
    private static final int CONCURRENCY = 200;
    private static final LoadPlan PLAN = LoadPlan.of(CONVERSATIONS);
    private static final String VICTIM = "worker-victim";
    private static final String SURVIVOR = "worker-survivor";
    /** Claims are answered this long after they are applied, so the victim dies holding some. */
    private static final Duration CLAIM_LATENCY = Duration.ofMillis(400);

    private static Pipeline pipeline;
    private static ParleyProcessor processor;
    private static ConnectorWorker survivor;

    @BeforeAll
    static void startPipeline() throws Exception {
        Path directory = RunDirectory.fresh(WorkerCrashIT.class);
        pipeline = Pipeline.start(directory, CLAIM_LATENCY);
        pipeline.loyalty().openAccounts(PLAN.cardNumbersByCustomer());
        processor = ParleyProcessor.start(ProcessorConfig.load(pipeline.processorConfig("processor", directory.resolve("state"), 0)));
        survivor = ConnectorWorker.start(WorkerConfig.load(pipeline.workerConfig(SURVIVOR, 0)));
        assertThat(processor.awaitRunning(Duration.ofSeconds(60))).as("processor running").isTrue();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (survivor != null) {
            survivor.close();
        }
        if (processor != null) {
            processor.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void requestsOfAKilledWorkerAreAnsweredByAnotherAndEveryWriteIsAppliedOnce() throws Exception {
        // Given two workers in the share group, one in its own JVM, and the load under way
        try (ChildJvm victim = startWorker(VICTIM);
             LoadRun run = LoadRun.start(pipeline, PLAN, CONCURRENCY)) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> run.finishedConversations() >= CONVERSATIONS / 3 && pipeline.shop().claimInFlightFrom(VICTIM));

            // When that worker is killed while a claim it sent is still being answered
            victim.kill();
            ExactlyOnceVerdict verdict = run.finish(Duration.ofMinutes(4), Duration.ofMinutes(1));

            // Then each message got exactly its one final reply, in order
            assertThat(verdict.holds()).withFailMessage(() -> verdict.report() + run.settled().backendAnswersOf(verdict.offendingEvents()) + "\nvictim's log: " + victim.log()).isTrue();
            // and the claims the victim held reached the API again from the survivor, with the same key
            Map<String, List<String>> deliveries = pipeline.shop().claimDeliveries();
            Map<String, List<String>> takenOver = deliveries.entrySet().stream()
                    .filter(keyed -> keyed.getValue().contains(VICTIM) && keyed.getValue().contains(SURVIVOR))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(takenOver).as("claims delivered by the killed worker, then by the survivor").isNotEmpty()
                    .allSatisfy((key, workers) -> assertThat(workers).first().isEqualTo(VICTIM));
            // yet the API applied each claim once and the database each redemption once; every request was answered
            BackendChecks.assertWritesAppliedExactlyOnce(PLAN, pipeline);
            BackendChecks.assertRequestsIssuedOnceAndAnswered(run.settled());
            System.out.printf("%d claims were delivered again after the victim died, each applied once%n", takenOver.size());
        }
    }

    /** Starts {@code parley-worker --config worker.yaml} in its own JVM and waits until its consumer loops run. */
    private static ChildJvm startWorker(String name) {
        AdminEndpoint admin = AdminEndpoint.onFreePort();
        ChildJvm worker = ChildJvm.start(name, WorkerMain.class, pipeline.workerConfig(name, admin.port()));
        await().atMost(Duration.ofMinutes(1)).until(() -> admin.isReady() || !worker.isAlive());
        assertThat(worker.isAlive()).as("%s is running (see its log)", worker).isTrue();
        return worker;
    }
}
