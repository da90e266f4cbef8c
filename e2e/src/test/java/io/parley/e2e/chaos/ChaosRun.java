package io.parley.e2e.chaos;

import static org.awaitility.Awaitility.await;

import io.parley.e2e.env.LoyaltyDatabase;
import io.parley.e2e.env.Pipeline;
import io.parley.e2e.env.RunDirectory;
import io.parley.e2e.load.ExactlyOnceVerdict;
import io.parley.e2e.load.LoadPlan;
import io.parley.e2e.load.LoadRun;
import io.parley.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One chaos run, start to verdict: the pipeline of {@link Pipeline} with the processor and two
 * workers in their own JVMs ({@link Fleet}), the chaos load ({@link LoadPlan#chaos(int)}: the
 * scripts' SQL and HTTP writes, messages delivered twice at once and late), a {@link ChaosMonkey}
 * carrying out the faults as the load goes, then the read_committed verdict, the writes counted
 * in PostgreSQL and the dead-letter topics searched for every poison record.
 *
 * <p>Use: {@code try (ChaosRun run = ChaosRun.start(...)) { ChaosRun.Outcome outcome = run.finish(...); }}.
 */
public final class ChaosRun implements AutoCloseable {

    /**
     * The shop API's retries: a call keeps being retried through a storm (its 503s ask to wait
     * 1 s; eight attempts ride out a storm of five seconds), and the always-failing orders still
     * end in SERVER_ERROR within a fraction of a second.
     */
    public static final String STORM_PROOF_RETRY = "{maxAttempts: 8, initialBackoff: 20ms, maxBackoff: 100ms}";

    private final LoadPlan plan;
    private final String guarantee;
    private final Pipeline pipeline;
    private final Fleet fleet;
    private final PoisonRecords poison;
    private final LoadRun load;
    private final ChaosMonkey monkey;
    private final long startedNanos = System.nanoTime();

    private ChaosRun(LoadPlan plan, String guarantee, Pipeline pipeline, Fleet fleet, PoisonRecords poison, LoadRun load,
                     ChaosMonkey monkey) {
        this.plan = plan;
        this.guarantee = guarantee;
        this.pipeline = pipeline;
        this.fleet = fleet;
        this.poison = poison;
        this.load = load;
        this.monkey = monkey;
    }

    /**
     * Starts the pipeline and the fleet, then the load and the chaos plan.
     *
     * @param guarantee the processor's {@code processing.guarantee}
     * @param commitInterval the processor's commit interval
     * @param processors processor instances (the first is the one killed)
     * @param concurrency conversations under way at a time
     */
    public static ChaosRun start(Class<?> testClass, LoadPlan plan, String guarantee, Duration commitInterval, int processors,
                                 int concurrency, List<Fault.Planned> faults) throws Exception {
        Path directory = RunDirectory.fresh(testClass);
        Pipeline pipeline = Pipeline.start(directory, Duration.ofMillis(50));
        Fleet fleet = null;
        PoisonRecords poison = null;
        try {
            pipeline.loyalty().openAccounts(plan.cardNumbersByCustomer());
            fleet = new Fleet(pipeline, directory.resolve("processor-state"), guarantee, commitInterval, STORM_PROOF_RETRY);
            fleet.start(processors, 2);
            poison = new PoisonRecords(pipeline.kafka().bootstrapServers());
            LoadRun load = LoadRun.start(pipeline, plan, concurrency);
            ChaosMonkey monkey = new ChaosMonkey(faults, pipeline, fleet, poison, load::finishedConversations,
                    plan.conversations().size()).start();
            return new ChaosRun(plan, guarantee, pipeline, fleet, poison, load, monkey);
        } catch (Exception | Error e) {
            if (poison != null) {
                poison.close();
            }
            if (fleet != null) {
                fleet.close();
            }
            pipeline.close();
            throw e;
        }
    }

    /** What the run found: the verdict and the figures. */
    public record Outcome(ExactlyOnceVerdict verdict, ChaosFigures figures, String details) {
    }

    /**
     * Waits for the load to finish and the pipeline to settle, lets the chaos plan end, waits (up
     * to {@code dlqTimeout}) for every poison record to reach a dead-letter topic, and counts.
     */
    public Outcome finish(Duration loadTimeout, Duration settleTimeout, Duration dlqTimeout) throws Exception {
        ExactlyOnceVerdict verdict = load.finish(loadTimeout, settleTimeout);
        long seconds = Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
        monkey.close();
        Topics topics = pipeline.topics();
        String chatDlq = topics.deadLetters().name();
        String workerDlq = topics.workerDeadLetters().name();
        Set<String> sent = poison.sentTo(Set.of(topics.chatEvents().name(), topics.backendResponses().name(),
                topics.backendRequests().name()));
        try {
            await().atMost(dlqTimeout).pollInterval(Duration.ofMillis(500)).until(() -> notInDeadLetters(sent, chatDlq, workerDlq).isEmpty());
        } catch (ConditionTimeoutException e) {
            // reported in the figures
        }
        List<String> inChatDlq = poison.markersIn(chatDlq);
        List<String> inWorkerDlq = poison.markersIn(workerDlq);
        Set<String> missing = notInDeadLetters(sent, chatDlq, workerDlq);

        LoyaltyDatabase loyalty = pipeline.loyalty();
        Map<String, Integer> planned = plan.redemptionsByConversation();
        Map<String, Integer> found = loyalty.redemptionsByConversation();
        int duplicateWrites = 0;
        int missingWrites = 0;
        Set<String> conversations = new HashSet<>(planned.keySet());
        conversations.addAll(found.keySet());
        for (String conversation : conversations) {
            int difference = found.getOrDefault(conversation, 0) - planned.getOrDefault(conversation, 0);
            duplicateWrites += Math.max(0, difference);
            missingWrites += Math.max(0, -difference);
        }
        int redemptionRows = found.values().stream().mapToInt(Integer::intValue).sum();

        ChaosFigures figures = new ChaosFigures(guarantee, plan.conversations().size(), plan.eventCount(),
                plan.redeliveredEventCount(), fleet.processorKills(), fleet.workerKills(), monkey.brokerRestarts(),
                monkey.storms(), pipeline.shop().stormAnswers(), monkey.slowPeriods(), verdict.lost(), verdict.duplicated(),
                verdict.otherFindings(), redemptionRows, duplicateWrites, missingWrites,
                pipeline.shop().appliedClaims().size(), sent.size(), (int) inChatDlq.stream().filter(sent::contains).count(),
                (int) inWorkerDlq.stream().filter(sent::contains).count(), missing.size(), seconds, monkey.timeline());
        String details = "chaos timeline:\n  " + String.join("\n  ", monkey.timeline())
                + (monkey.failure() == null ? "" : "\nchaos plan failed: " + monkey.failure())
                + (missing.isEmpty() ? "" : "\npoison in no dead-letter topic: " + missing)
                + "\nprocess logs: " + fleet.logs();
        return new Outcome(verdict, figures, details);
    }

    private Set<String> notInDeadLetters(Set<String> sent, String chatDlq, String workerDlq) {
        Set<String> missing = new HashSet<>(sent);
        poison.markersIn(chatDlq).forEach(missing::remove);
        poison.markersIn(workerDlq).forEach(missing::remove);
        return missing;
    }

    /** Whether every planned fault was carried out. */
    public boolean chaosCompleted() {
        return monkey.completed();
    }

    public LoadRun load() {
        return load;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public LoadPlan plan() {
        return plan;
    }

    @Override
    public void close() throws Exception {
        try {
            monkey.close();
            load.close();
            poison.close();
            fleet.close();
        } finally {
            pipeline.close();
        }
    }
}
