package io.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.e2e.env.Pipeline;
import io.parley.e2e.env.RunDirectory;
import io.parley.e2e.load.ExactlyOnceVerdict;
import io.parley.e2e.load.LoadPlan;
import io.parley.e2e.load.LoadRun;
import io.parley.processor.ParleyProcessor;
import io.parley.processor.config.ProcessorConfig;
import io.parley.worker.ConnectorWorker;
import io.parley.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parley's central promise on the whole pipeline — a real KRaft broker, the processor under
 * exactly_once_v2, a connectors worker in a share group, the shop's HTTP API (WireMock) and the
 * loyalty database (PostgreSQL): every chat message gets exactly one final reply, of the kind its
 * flow gives, in the order of its conversation, and every write it asks for is applied once.
 */
class ExactlyOnceIT {

    private static final int CONVERSATIONS = 1_000;
    private static final int CONCURRENCY = 200;
    private static final LoadPlan PLAN = LoadPlan.of(CONVERSATIONS);

    private static Pipeline pipeline;
    private static ParleyProcessor processor;
    private static ConnectorWorker worker;

    @BeforeAll
    static void startPipeline() throws Exception {
        Path directory = RunDirectory.fresh(ExactlyOnceIT.class);
        pipeline = Pipeline.start(directory, Duration.ofMillis(20));
        pipeline.loyalty().openAccounts(PLAN.cardNumbersByCustomer());
        processor = ParleyProcessor.start(ProcessorConfig.load(pipeline.processorConfig("processor", directory.resolve("state"), 0)));
        worker = ConnectorWorker.start(WorkerConfig.load(pipeline.workerConfig("worker", 0)));
        assertThat(processor.awaitRunning(Duration.ofSeconds(60))).as("processor running").isTrue();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (processor != null) {
            processor.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyMessageGetsExactlyOneFinalReplyOfItsFlowInConversationOrder() throws Exception {
        // Given 1,000 conversations of five messages each, 200 at a time, every kind of final reply among them
        try (LoadRun run = LoadRun.start(pipeline, PLAN, CONCURRENCY)) {

            // When every user has had their answers and the pipeline has settled
            long started = System.nanoTime();
            ExactlyOnceVerdict verdict = run.finish(Duration.ofMinutes(4), Duration.ofMinutes(1));
            System.out.printf("%d events in %d conversations settled in %d s%n", PLAN.eventCount(), CONVERSATIONS,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());

            // Then each message got exactly its one final reply, in order
            assertThat(verdict.holds())
                    .withFailMessage(() -> verdict.report() + run.settled().backendAnswersOf(verdict.offendingEvents()))
                    .isTrue();
            // and each backend request was issued once and answered, and each write applied once
            BackendChecks.assertRequestsIssuedOnceAndAnswered(run.settled());
            BackendChecks.assertWritesAppliedExactlyOnce(PLAN, pipeline);
        }
    }
}
