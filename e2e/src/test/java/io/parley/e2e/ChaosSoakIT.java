package io.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.e2e.chaos.ChaosFigures;
import io.parley.e2e.chaos.ChaosRun;
import io.parley.e2e.chaos.Fault;
import io.parley.e2e.load.LoadPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parley's promise through a bad day: 20,000 turns over 4,000 conversations, with SQL and HTTP
 * writes, while the processor's JVM is killed (SIGKILL) and restarted three times, the workers'
 * three times, the broker is stopped and started again, the shop API answers 503 to everything
 * for a while (twice) and answers late for a while (twice), the channel delivers messages twice —
 * at once, and late, behind newer messages of their conversation with their old timestamps — and
 * malformed records land on every input topic. A read_committed verifier must then find exactly
 * one final reply per message, none lost, no write applied twice in PostgreSQL, and every poison
 * record in a dead-letter topic.
 *
 * <p>{@code -Dparley.chaos.size=soak} runs the long variant (100,000 turns, the faults three
 * times over); {@code -Dparley.chaos.conversations=N} any size (a quick look while developing).
 * The figures go to {@code target/chaos-soak.json}; see docs/chaos.md.
 */
class ChaosSoakIT {

    private static final boolean SOAK = "soak".equals(System.getProperty("parley.chaos.size"));
    private static final int CONVERSATIONS = Integer.getInteger("parley.chaos.conversations", SOAK ? 20_000 : 4_000);
    private static final int ROUNDS = SOAK ? 3 : 1;
    private static final int CONCURRENCY = 400;

    @Test
    void everyMessageGetsExactlyOneFinalReplyAndEveryWriteIsAppliedOnceThroughKillsOutagesStormsAndBadInput() throws Exception {
        // Given the pipeline with its processor and two workers in their own JVMs, and a chaos plan
        LoadPlan plan = LoadPlan.chaos(CONVERSATIONS);
        try (ChaosRun run = ChaosRun.start(ChaosSoakIT.class, plan, "exactly_once_v2", Duration.ofMillis(100), 1, CONCURRENCY,
                faults(ROUNDS))) {

            // When every conversation has been played through the faults and the pipeline has settled
            ChaosRun.Outcome outcome = run.finish(Duration.ofMinutes(SOAK ? 90 : 20), Duration.ofMinutes(2), Duration.ofMinutes(1));
            ChaosFigures figures = outcome.figures();
            System.out.println(figures.summary());
            figures.writeTo(Path.of("target", "chaos-soak.json"));

            // Then every fault was carried out
            assertThat(run.chaosCompleted()).withFailMessage(outcome::details).isTrue();
            assertThat(figures.processorKills()).isEqualTo(3 * ROUNDS);
            assertThat(figures.workerKills()).isEqualTo(3 * ROUNDS);
            assertThat(figures.brokerRestarts()).isEqualTo(ROUNDS);
            assertThat(figures.stormAnswers()).as("calls answered 503 by the storms").isPositive();
            // and each message got exactly its one final reply, in order: none lost, none duplicated
            assertThat(outcome.verdict().holds())
                    .withFailMessage(() -> outcome.verdict().report()
                            + run.load().settled().backendAnswersOf(outcome.verdict().offendingEvents()) + "\n" + outcome.details())
                    .isTrue();
            // and each request was committed once and answered; each write applied once (counted in PostgreSQL)
            BackendChecks.assertRequestsIssuedOnceAndAnswered(run.load().settled());
            BackendChecks.assertWritesAppliedExactlyOnce(plan, run.pipeline());
            assertThat(figures.duplicateWrites()).isZero();
            assertThat(figures.missingWrites()).isZero();
            // and every poison record is in a dead-letter topic
            assertThat(figures.poisonNotInDlq()).withFailMessage(outcome::details).isZero();
            assertThat(figures.chatDlq() + figures.workerDlq()).isGreaterThanOrEqualTo(figures.poisonSent());
        }
    }

    /**
     * The chaos plan, by share of conversations finished: each round three processor kills, three
     * worker kills, a broker restart, two 503 storms, two slow periods, and poison twice.
     */
    static List<Fault.Planned> faults(int rounds) {
        List<Fault.Planned> round = List.of(
                new Fault.Planned(0.02, new Fault.Poison(5)),
                new Fault.Planned(0.04, new Fault.Storm(Duration.ofSeconds(4))),
                new Fault.Planned(0.08, new Fault.KillProcessor()),
                new Fault.Planned(0.13, new Fault.KillWorker(0)),
                new Fault.Planned(0.18, new Fault.SlowBackend(Duration.ofMillis(1500), Duration.ofSeconds(8))),
                new Fault.Planned(0.24, new Fault.KillProcessor()),
                new Fault.Planned(0.30, new Fault.RestartBroker(Duration.ofSeconds(5))),
                new Fault.Planned(0.36, new Fault.Poison(5)),
                new Fault.Planned(0.40, new Fault.KillWorker(1)),
                new Fault.Planned(0.46, new Fault.Storm(Duration.ofSeconds(4))),
                new Fault.Planned(0.52, new Fault.KillProcessor()),
                new Fault.Planned(0.58, new Fault.KillWorker(0)),
                new Fault.Planned(0.64, new Fault.SlowBackend(Duration.ofMillis(1500), Duration.ofSeconds(8))));
        List<Fault.Planned> faults = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (Fault.Planned planned : round) {
                faults.add(new Fault.Planned((r + planned.atFraction()) / rounds, planned.fault()));
            }
        }
        return faults;
    }
}
