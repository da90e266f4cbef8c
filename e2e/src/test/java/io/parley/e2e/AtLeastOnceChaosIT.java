package io.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.e2e.chaos.ChaosFigures;
import io.parley.e2e.chaos.ChaosRun;
import io.parley.e2e.chaos.Fault;
import io.parley.e2e.load.LoadPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chaos harness can see what exactly-once prevents: the same pipeline, load and verifier as
 * {@link ChaosSoakIT}, with the processor under {@code at_least_once}, committing every 10 s, and
 * killed (SIGKILL) three times while the load is in full swing. Everything it did after its last
 * commit is done again by its successor, and the verifier must count duplicated replies.
 *
 * <p>Kill timing: each kill comes after many conversations have started (a third, a half and two
 * thirds of them finished), when the processor has answered several seconds' worth of messages
 * since its last commit; with 100 ms commits (exactly-once's) the window would be too short to
 * count on.
 */
class AtLeastOnceChaosIT {

    private static final int CONVERSATIONS = Integer.getInteger("parley.chaos.atLeastOnce.conversations", 400);
    private static final int CONCURRENCY = 200;

    @Test
    void underAtLeastOnceTheVerifierSeesDuplicatedRepliesAfterKills() throws Exception {
        // Given the pipeline with the processor under at_least_once, committing every 10 s
        LoadPlan plan = LoadPlan.chaos(CONVERSATIONS);
        List<Fault.Planned> kills = List.of(
                new Fault.Planned(0.30, new Fault.KillProcessor()),
                new Fault.Planned(0.50, new Fault.KillProcessor()),
                new Fault.Planned(0.65, new Fault.KillProcessor()));
        try (ChaosRun run = ChaosRun.start(AtLeastOnceChaosIT.class, plan, "at_least_once", Duration.ofSeconds(10),
                CONCURRENCY, kills)) {

            // When the processor is killed three times during the load
            ChaosRun.Outcome outcome = run.finish(Duration.ofMinutes(6), Duration.ofMinutes(2), Duration.ofSeconds(1));
            ChaosFigures figures = outcome.figures();
            System.out.println(figures.summary());
            figures.writeTo(Path.of("target", "chaos-soak-at-least-once.json"));

            // Then the verifier counts duplicated replies: the harness can tell at-least-once from exactly-once
            assertThat(run.chaosCompleted()).withFailMessage(outcome::details).isTrue();
            assertThat(figures.processorKills()).isEqualTo(3);
            assertThat(figures.duplicates()).withFailMessage(() -> "no duplicates seen under at_least_once: "
                    + figures.summary() + "\n" + outcome.details()).isPositive();
        }
    }
}
