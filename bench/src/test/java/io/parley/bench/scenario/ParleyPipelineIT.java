package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.kafka.BenchKafka;
import io.parley.bench.load.ExpectedReply;
import io.parley.bench.load.LoadDriver;
import io.parley.bench.load.NanoTimer;
import io.parley.bench.load.PhaseResult;
import io.parley.bench.load.Workload;
import io.parley.bench.pipeline.ParleyPipelineFactory;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.pipeline.ProcessorPlacement;
import io.parley.bench.pipeline.StateProbe;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parley's processor and worker, started by the bench on a real broker, answer the bench's turns. */
class ParleyPipelineIT {

    private static BenchKafka kafka;

    @TempDir
    Path work;

    @BeforeAll
    static void startKafka() {
        kafka = BenchKafka.embedded();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private ScenarioContext context(String runId) {
        return new ScenarioContext(runId, kafka, BenchSettings.quick(), Clock.systemUTC(), NanoTimer.system(), work);
    }

    @Test
    void theOrderQuestionIsAnsweredWithTheBackendsOrderInTheBenchJvm() throws Exception {
        ScenarioContext context = context("itinproc");
        PipelineRun.Request request = new PipelineRun.Request(ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofSeconds(10), OptionalInt.empty(), ProcessorPlacement.IN_PROCESS, Optional.empty());
        try (PipelineRun run = PipelineRun.start(context, "s2", new ParleyPipelineFactory(), request);
             LoadDriver load = context.loadDriver(run.topics().topics().chatEvents(), run.topics().topics().defaultReplies())) {
            Workload orders = new Workload(PipelineRun.CHANNEL, Workload.ORDER_STATUS_TEXT, "it-", 20);

            PhaseResult result = load.maxRate("it.orders", orders, 20, 0, ExpectedReply.answerStartingWith(Workload.ORDER_ANSWER_PREFIX));

            assertThat(result.summary().answered()).isEqualTo(20);
            assertThat(run.backend().ordersServed()).isEqualTo(20);
            assertThat(run.pipeline().effectiveSettings()).containsKey("worker.concurrency");
        }
    }

    @Test
    void aProcessorInItsOwnJvmGreetsWithoutABackendCallAndIsReadFromOutside() throws Exception {
        ScenarioContext context = context("itchild");
        PipelineRun.Request request = new PipelineRun.Request(ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofSeconds(2), OptionalInt.empty(), ProcessorPlacement.CHILD_JVM, Optional.of("256m"));
        try (PipelineRun run = PipelineRun.start(context, "s5", new ParleyPipelineFactory(), request);
             LoadDriver load = context.loadDriver(run.topics().topics().chatEvents(), run.topics().topics().defaultReplies())) {
            Workload greetings = new Workload(PipelineRun.CHANNEL, PipelineRun.SESSION_TEXT, "it-", 10);

            PhaseResult result = load.maxRate("it.greetings", greetings, 10, 0, ExpectedReply.anyReply());

            StateProbe probe = run.pipeline().stateProbe();
            assertThat(result.summary().answered()).isEqualTo(10);
            assertThat(run.backend().ordersServed()).isZero();
            assertThat(probe.processorMaxHeapBytes()).isEqualTo(256L << 20);
            assertThat(probe.processorResidentBytes()).isBetween(32L << 20, 2L << 30);
            assertThat(probe.punctuations().runs()).isPositive();
        }
    }
}
