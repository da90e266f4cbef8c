package io.parley.bench.scenario;

import io.parley.bench.kafka.ScenarioTopics;
import io.parley.bench.load.ClosedLoopChat;
import io.parley.bench.load.PhaseResult;
import io.parley.bench.load.SessionSeeder;
import io.parley.bench.load.SteadyState;
import io.parley.bench.load.Workload;
import io.parley.bench.backend.OrderBackend;
import io.parley.bench.pipeline.ClassDataSharing;
import io.parley.bench.pipeline.FailoverPipeline;
import io.parley.bench.pipeline.PipelineConfig;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.pipeline.ProcessorOptions;
import io.parley.bench.pipeline.ProcessorPlacement;
import io.parley.bench.report.Figures;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import io.parley.bench.report.Target;
import io.parley.schemas.ReplyKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S6: what a user sees when a processor instance goes away. Processors and workers run in JVMs of
 * their own (exactly-once, 12 partitions, sessions seeded first); {@value #CONVERSATIONS}
 * conversations chat in a closed loop (a message, its answer, {@value #THINK_SECONDS} s of thought,
 * the next). Then one of these things happens, each on fresh topics and a fresh application:
 * <ol>
 *   <li>{@code restart.before}: one processor, Kafka's defaults (dynamic member, 45 s session),
 *       {@code kill -9} and an immediate restart with the same configuration and state directory;</li>
 *   <li>{@code restart}: the same with Parley's defaults and an instance id (static member, 6 s);</li>
 *   <li>{@code restart.classdata}: the same, the processor started with the class data of an earlier run that
 *       stopped cleanly, as the launchers and images start a service after its first clean stop;</li>
 *   <li>{@code takeover.standby0} / {@code takeover.standby1}: two processors, one killed for good,
 *       with {@code num.standby.replicas} 0 and 1;</li>
 *   <li>{@code rolling} / {@code rolling.leave}: two processors with a standby each, one stopped with
 *       SIGTERM and started again, staying in the group or leaving it on SIGTERM;</li>
 *   <li>{@code rolling.classdata}: {@code rolling} as the launchers and images run it: every processor with the class
 *       data of its own earlier clean stop (a rolling restart is a clean stop, so a deployed service has it).</li>
 * </ol>
 * For each: the time from the event until every conversation of the stopped instance has answered
 * again, the longest wait for one answer (all conversations, and those of the other instance),
 * and the turns that got the fallback instead of the answer.
 */
public final class FailoverScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverScenario.class);
    static final int CONVERSATIONS = 100;
    static final int THINK_SECONDS = 1;
    static final int PARTITIONS = 12;
    static final int WORKERS = 2;
    static final int FULL_SESSIONS = 10_000;
    static final int QUICK_SESSIONS = 1_000;
    private static final Duration WARM = Duration.ofSeconds(10);
    /**
     * The event waits, after {@link #WARM}, until the closed loop has settled (the JVMs' JIT warm-up
     * over), so that the other instances' waits after it are compared with a steady loop; at most
     * {@link #SETTLE_LIMIT}, then it fires anyway and the settle line reads "not measured".
     */
    static final SteadyState STEADY = new SteadyState(Duration.ofSeconds(5), Duration.ofSeconds(1), CONVERSATIONS);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(120);
    private static final Duration OBSERVE_LIMIT = Duration.ofSeconds(120);
    /**
     * How long a case goes on by default after the stopped instance's conversations answered again: long
     * enough to see tasks handed back to a restarted instance (15–25 s after the event in the rolling cases),
     * which silences its conversations a second time ({@link Figures6#relapseWaitSeconds()}).
     */
    public static final Duration AFTER_RECOVERY = Duration.ofSeconds(30);
    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SEED_LIMIT = Duration.ofMinutes(15);

    enum Event { KILL_AND_RESTART, KILL, STOP_AND_RESTART }

    /**
     * One case.
     *
     * @param classData whether the processor JVMs map class data of an earlier clean stop, as the launchers and the
     *                  container images start a service that has stopped cleanly once ({@link ClassDataSharing}); the
     *                  other cases start every JVM without, as a service's first start after an install or upgrade
     */
    record Case(String key, String label, int processors, FailoverPipeline.Membership membership, Event event,
                Optional<Target> recoveryTarget, boolean classData) {

        Case(String key, String label, int processors, FailoverPipeline.Membership membership, Event event,
             Optional<Target> recoveryTarget) {
            this(key, label, processors, membership, event, recoveryTarget, false);
        }
    }

    static final List<Case> CASES = List.of(
            new Case("restart.before", "kill -9 + restart in place, Kafka defaults (dynamic, 45 s session)", 1,
                    new FailoverPipeline.Membership(false, Optional.empty(), 0, false), Event.KILL_AND_RESTART, Optional.empty()),
            new Case("restart", "kill -9 + restart in place, instance id (static, 6 s session)", 1,
                    new FailoverPipeline.Membership(true, Optional.of(Duration.ofSeconds(6)), 0, false), Event.KILL_AND_RESTART,
                    Optional.of(Targets.S6_RECOVERY_SECONDS)),
            new Case("restart.classdata", "kill -9 + restart in place, instance id, class data of an earlier clean stop", 1,
                    new FailoverPipeline.Membership(true, Optional.of(Duration.ofSeconds(6)), 0, false), Event.KILL_AND_RESTART,
                    Optional.of(Targets.S6_RECOVERY_SECONDS), true),
            new Case("takeover.standby0", "kill -9 of 1 of 2, no standby", 2,
                    new FailoverPipeline.Membership(true, Optional.of(Duration.ofSeconds(6)), 0, false), Event.KILL, Optional.empty()),
            new Case("takeover.standby1", "kill -9 of 1 of 2, 1 standby", 2,
                    new FailoverPipeline.Membership(true, Optional.of(Duration.ofSeconds(6)), 1, false), Event.KILL,
                    Optional.of(Targets.S6_RECOVERY_SECONDS)),
            new Case("rolling", "SIGTERM + restart of 1 of 2 (rolling restart), stays in the group", 2,
                    new FailoverPipeline.Membership(true, Optional.of(Duration.ofSeconds(6)), 1, false), Event.STOP_AND_RESTART,
                    Optional.empty()),
            new Case("rolling.leave", "SIGTERM + restart of 1 of 2 (rolling restart), leaves the group", 2,
                    new FailoverPipeline.Membership(true, Optional.of(Duration.ofSeconds(6)), 1, true), Event.STOP_AND_RESTART,
                    Optional.empty()),
            new Case("rolling.classdata", "SIGTERM + restart of 1 of 2 (rolling restart), stays in the group, class data of "
                    + "an earlier clean stop", 2,
                    new FailoverPipeline.Membership(true, Optional.of(Duration.ofSeconds(6)), 1, false), Event.STOP_AND_RESTART,
                    Optional.empty(), true));

    private final List<Case> cases;
    private final Map<String, String> processorKafka;
    private final OptionalInt sessions;
    private String groupProtocol = "classic";
    private List<String> processorJvmOptions = List.of();
    private Duration afterRecovery = AFTER_RECOVERY;

    /** Every case, the processors with Parley's defaults. */
    public FailoverScenario() {
        this(Set.of(), Map.of());
    }

    /** The given cases with the default session count (10,000 full, 1,000 quick). */
    public FailoverScenario(Set<String> caseKeys, Map<String, String> processorKafka) {
        this(caseKeys, processorKafka, OptionalInt.empty());
    }

    /**
     * @param caseKeys the cases to run ({@code takeover.standby1}, ...); empty for all
     * @param processorKafka settings added to every processor's {@code kafka:} section (to measure one)
     * @param sessions live sessions seeded before the conversations ({@code --s6-sessions}); empty for the default
     */
    public FailoverScenario(Set<String> caseKeys, Map<String, String> processorKafka, OptionalInt sessions) {
        if (sessions.isPresent() && sessions.getAsInt() < 1) {
            throw new IllegalArgumentException("S6 needs at least 1 seeded session (--s6-sessions), not " + sessions.getAsInt());
        }
        this.sessions = sessions;
        Set<String> known = new TreeSet<>(CASES.stream().map(Case::key).toList());
        Set<String> unknown = new TreeSet<>(caseKeys);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown S6 case(s) " + unknown + "; the cases are " + known);
        }
        this.cases = CASES.stream().filter(c -> caseKeys.isEmpty() || caseKeys.contains(c.key())).toList();
        this.processorKafka = Map.copyOf(processorKafka);
    }

    /**
     * The processors' {@code membership.protocol} ({@code classic}, Parley's default, or {@code streams}, KIP-1071).
     * The cases without a session ({@code restart.before}) stay on the classic protocol: their 45 s session is a
     * consumer setting.
     */
    public FailoverScenario withGroupProtocol(String protocol) {
        if (!ProcessorOptions.PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("Unknown S6 group protocol '" + protocol + "'; use classic or streams");
        }
        this.groupProtocol = protocol;
        return this;
    }

    /** Options every processor JVM starts with besides its heap ({@code --s6-processor-jvm-option}). */
    public FailoverScenario withProcessorJvmOptions(List<String> options) {
        this.processorJvmOptions = List.copyOf(options);
        return this;
    }

    /**
     * How long each case goes on after the stopped instance's conversations answered again
     * ({@code --s6-after-recovery}): longer than the default to see a hand-back that Kafka Streams delays to
     * a probing rebalance ({@code probing.rebalance.interval.ms}, at least a minute).
     */
    public FailoverScenario withAfterRecovery(Duration afterRecovery) {
        if (afterRecovery.isNegative()) {
            throw new IllegalArgumentException("The S6 time after recovery must not be negative: " + afterRecovery);
        }
        this.afterRecovery = afterRecovery;
        return this;
    }

    @Override
    public String id() {
        return "S6";
    }

    @Override
    public String title() {
        return "failover: kill -9, takeover, rolling restart (closed-loop conversations)";
    }

    int sessions(ScenarioContext context) {
        if (sessions.isPresent()) {
            return sessions.getAsInt();
        }
        return "quick".equals(context.settings().mode()) ? QUICK_SESSIONS : FULL_SESSIONS;
    }

    @Override
    public Map<String, Object> configuration(ScenarioContext context) {
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("processing.guarantee", ProcessingGuarantee.EXACTLY_ONCE_V2.configValue());
        configuration.put("partitions", PARTITIONS);
        configuration.put("stream.threads", context.settings().streamThreads() + " per processor");
        configuration.put("workers", WORKERS + " (JVMs of their own)");
        configuration.put("processors", "1 or 2 (JVMs of their own, 384 MB heap)");
        configuration.put("seeded sessions", sessions(context) + " (produced in one go; stored when the processors' group has no lag)");
        configuration.put("conversations", CONVERSATIONS + " closed loop, " + THINK_SECONDS + " s think time");
        configuration.put("turn.timeout", Figures.duration(TURN_TIMEOUT));
        new TreeMap<>(processorKafka).forEach((k, v) -> configuration.put("processor.kafka." + k, v));
        configuration.put("membership.protocol", groupProtocol);
        configuration.put("afterRecovery", Figures.duration(afterRecovery));
        if (!processorJvmOptions.isEmpty()) {
            configuration.put("processor.jvmOptions", String.join(" ", processorJvmOptions));
        }
        for (Case c : cases) {
            c.membership().describe().forEach((k, v) -> configuration.put(c.key() + "." + k, v));
            if (c.classData()) {
                configuration.put(c.key() + ".classData", ClassDataSharing.describeForThisJava());
            }
        }
        return configuration;
    }

    @Override
    public List<Measurement> planned(ScenarioContext context) {
        List<Measurement> lines = new ArrayList<>();
        for (Case c : cases) {
            lines.addAll(lines(c, Optional.empty()));
        }
        return lines;
    }

    private static List<Measurement> lines(Case c, Optional<Figures6> figures) {
        return lines(c, figures, Optional.empty());
    }

    private static List<Measurement> lines(Case c, Optional<Figures6> figures, Optional<CaseCounts> counts) {
        List<Measurement> lines = new ArrayList<>(List.of(
                Outcomes.line(c.key() + ".recovery", c.label() + ": every conversation answers again after", "s",
                        figures.flatMap(Figures6::recoverySeconds).map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                        c.recoveryTarget()),
                Outcomes.line(c.key() + ".longestWait", c.label() + ": longest wait for one answer", "s",
                        figures.map(f -> OptionalDouble.of(f.longestWaitSeconds())).orElse(OptionalDouble.empty()), Optional.empty()),
                Outcomes.line(c.key() + ".fallbacks", c.label() + ": turns answered with the fallback", "turns",
                        figures.map(f -> OptionalDouble.of(f.fallbacks())).orElse(OptionalDouble.empty()), Optional.empty()),
                Outcomes.line(c.key() + ".othersLongestWait", c.label() + ": longest wait, other instance's conversations", "s",
                        figures.flatMap(Figures6::othersLongestWaitSeconds).map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                        Optional.empty()),
                Outcomes.line(c.key() + ".othersLongestWaitAt", c.label() + ": that longest wait ended, after the event", "s",
                        figures.flatMap(Figures6::othersLongestWaitAtSeconds).map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                        Optional.empty()),
                Outcomes.line(c.key() + ".othersBaselineWait", c.label()
                                + ": longest wait, other instance's conversations, in the 5 s before the event (the closed loop's ordinary wait)", "s",
                        figures.flatMap(Figures6::othersBaselineWaitSeconds).map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                        Optional.empty())));
        lines.add(Outcomes.line(c.key() + ".relapseWait", c.label()
                        + ": longest wait, the stopped instance's conversations, for turns sent after they all answered again", "s",
                figures.flatMap(Figures6::relapseWaitSeconds).map(OptionalDouble::of).orElse(OptionalDouble.empty()), Optional.empty()));
        lines.add(Outcomes.line(c.key() + ".relapseWaitAt", c.label() + ": that longest wait ended, after the event", "s",
                figures.flatMap(Figures6::relapseWaitAtSeconds).map(OptionalDouble::of).orElse(OptionalDouble.empty()), Optional.empty()));
        lines.add(Outcomes.line(c.key() + ".inFlight", c.label() + ": turns in flight at the event", "turns",
                counts.map(n -> OptionalDouble.of(n.inFlightAtEvent())).orElse(OptionalDouble.empty()), Optional.empty()));
        lines.add(Outcomes.line(c.key() + ".fallbacksInFlight", c.label() + ": fallbacks to turns in flight at the event", "turns",
                figures.map(f -> OptionalDouble.of(f.fallbacksInFlight())).orElse(OptionalDouble.empty()), Optional.empty()));
        lines.add(Outcomes.line(c.key() + ".fallbacksAfter", c.label() + ": fallbacks to turns sent after the event", "turns",
                figures.map(f -> OptionalDouble.of(f.fallbacksAfter())).orElse(OptionalDouble.empty()), Optional.empty()));
        lines.add(Outcomes.line(c.key() + ".restoredRecords", c.label() + ": records restored into the stores after the event", "records",
                counts.map(n -> OptionalDouble.of(n.restoredRecords())).orElse(OptionalDouble.empty()), Optional.empty()));
        lines.add(Outcomes.line(c.key() + ".seedProduce", c.label() + ": seeding, producing the sessions' first messages", "s",
                counts.map(n -> OptionalDouble.of(n.seedProduceSeconds())).orElse(OptionalDouble.empty()), Optional.empty()));
        lines.add(Outcomes.line(c.key() + ".seedStored", c.label() + ": seeding, until the processors had stored every session", "s",
                counts.map(n -> OptionalDouble.of(n.seedStoredSeconds())).orElse(OptionalDouble.empty()), Optional.empty()));
        lines.add(Outcomes.line(c.key() + ".settled", c.label() + ": closed loop settled (longest wait ≤ "
                        + STEADY.longestWait().toSeconds() + " s over " + STEADY.window().toSeconds() + " s) before the event, after", "s",
                counts.flatMap(CaseCounts::settledSeconds).map(OptionalDouble::of).orElse(OptionalDouble.empty()), Optional.empty()));
        return lines;
    }

    /**
     * Whether the instance to be stopped holds conversations yet (the classic assignor moves active tasks
     * to a new instance only once its warm-up replicas have caught up).
     */
    @FunctionalInterface
    private interface VictimReady {
        boolean holdsConversations() throws Exception;
    }

    /**
     * Waits until the closed loop has settled and the instance to be stopped holds conversations, or
     * {@link #SETTLE_LIMIT} has passed since the loop started.
     *
     * @return seconds from the loop's start until then; empty when the limit came first
     */
    private static Optional<Double> awaitSteadyState(ClosedLoopChat loop, ScenarioContext context, long loopStart,
                                                     VictimReady victimReady) throws Exception {
        long limit = loopStart + SETTLE_LIMIT.toNanos();
        while (true) {
            long now = context.timer().nanoTime();
            if (STEADY.reachedAt(loop.replies(), now) && victimReady.holdsConversations()) {
                return Optional.of((now - loopStart) / 1e9);
            }
            if (now >= limit) {
                return Optional.empty();
            }
            Thread.sleep(500);
        }
    }

    /**
     * What one case counted besides the replies.
     *
     * @param inFlightAtEvent turns sent and not yet answered at the event
     * @param restoredRecords records the running processors restored from changelogs between the event and the end
     * @param seedProduceSeconds producing the seeded sessions' first messages, until the broker acknowledged all
     * @param seedStoredSeconds from the start of seeding until the processors' group had committed every one
     * @param settledSeconds from the closed loop's start until it had settled ({@link #STEADY}); empty if it had not
     *                       within {@link #SETTLE_LIMIT} (the event came then)
     */
    record CaseCounts(int inFlightAtEvent, long restoredRecords, double seedProduceSeconds, double seedStoredSeconds,
                      Optional<Double> settledSeconds) {
    }

    /**
     * The figures of one case.
     *
     * @param recoverySeconds from the event until every conversation of the stopped instance had an answer again
     * @param longestWaitSeconds the longest wait for one answer after the event, any conversation
     * @param othersLongestWaitSeconds the same for the conversations of the other instances (empty with one instance)
     * @param othersLongestWaitAtSeconds when that longest wait ended (its answer came), counted from the event
     * @param othersBaselineWaitSeconds the other instances' longest wait in the {@link #BASELINE_WINDOW_NANOS} before the event
     * @param relapseWaitSeconds the stopped instance's conversations' longest wait for turns sent after they had all
     *                           answered again (a second silence, when tasks move back); empty without a recovery
     * @param relapseWaitAtSeconds when that wait ended (its answer came), counted from the event
     * @param fallbacks turns answered with the fallback (or an error) after the event
     * @param fallbacksInFlight those of them sent before the event (in flight when it happened)
     * @param victimConversations the conversations the stopped instance held
     */
    record Figures6(Optional<Double> recoverySeconds, double longestWaitSeconds, Optional<Double> othersLongestWaitSeconds,
                    Optional<Double> othersLongestWaitAtSeconds, Optional<Double> othersBaselineWaitSeconds,
                    Optional<Double> relapseWaitSeconds, Optional<Double> relapseWaitAtSeconds, long fallbacks,
                    long fallbacksInFlight, int victimConversations) {

        /**
         * How far before the event the other instances' baseline wait is taken: the closed loop's
         * ordinary longest wait, which the longest wait after the event is to be compared with (the
         * pause the event caused is the difference, not the wait itself).
         */
        static final long BASELINE_WINDOW_NANOS = 5_000_000_000L;

        /** Fallbacks to turns sent after the event: the ones the target allows none of. */
        long fallbacksAfter() {
            return fallbacks - fallbacksInFlight;
        }

        static Figures6 of(List<ClosedLoopChat.Reply> replies, Set<Integer> victims, int conversations, long eventAt) {
            long[] firstAfter = new long[conversations];
            long longest = 0;
            long othersLongest = 0;
            long othersLongestAt = 0;
            long othersBaseline = 0;
            long fallbacks = 0;
            long fallbacksInFlight = 0;
            for (ClosedLoopChat.Reply reply : replies) {
                if (reply.receivedAt() < eventAt) {
                    if (reply.receivedAt() >= eventAt - BASELINE_WINDOW_NANOS && !victims.contains(reply.conversation())) {
                        othersBaseline = Math.max(othersBaseline, reply.waitNanos());
                    }
                    continue;
                }
                if (firstAfter[reply.conversation()] == 0) {
                    firstAfter[reply.conversation()] = reply.receivedAt();
                }
                longest = Math.max(longest, reply.waitNanos());
                if (!victims.contains(reply.conversation()) && reply.waitNanos() > othersLongest) {
                    othersLongest = reply.waitNanos();
                    othersLongestAt = reply.receivedAt() - eventAt;
                }
                if (reply.kind() != ReplyKind.ANSWER) {
                    fallbacks++;
                    if (reply.sentAt() < eventAt) {
                        fallbacksInFlight++;
                    }
                }
            }
            long last = 0;
            boolean all = !victims.isEmpty();
            for (int c : victims) {
                all &= firstAfter[c] != 0;
                last = Math.max(last, firstAfter[c]);
            }
            Optional<Double> recovery = all ? Optional.of((last - eventAt) / 1e9) : Optional.empty();
            Optional<Double> relapse = Optional.empty();
            Optional<Double> relapseAt = Optional.empty();
            if (all) {
                long relapseWait = 0;
                long relapseWaitAt = 0;
                for (ClosedLoopChat.Reply reply : replies) {
                    if (victims.contains(reply.conversation()) && reply.sentAt() >= last && reply.waitNanos() > relapseWait) {
                        relapseWait = reply.waitNanos();
                        relapseWaitAt = reply.receivedAt() - eventAt;
                    }
                }
                relapse = Optional.of(relapseWait / 1e9);
                relapseAt = Optional.of(relapseWaitAt / 1e9);
            }
            boolean withOthers = victims.size() < conversations;
            Optional<Double> others = withOthers ? Optional.of(othersLongest / 1e9) : Optional.empty();
            Optional<Double> othersAt = withOthers ? Optional.of(othersLongestAt / 1e9) : Optional.empty();
            Optional<Double> baseline = withOthers ? Optional.of(othersBaseline / 1e9) : Optional.empty();
            return new Figures6(recovery, longest / 1e9, others, othersAt, baseline, relapse, relapseAt, fallbacks,
                    fallbacksInFlight, victims.size());
        }
    }

    /** The conversations (indexes of the closed loop) whose chat events go to {@code partitions}. */
    static Set<Integer> conversationsOn(Set<Integer> partitions, Workload chat) {
        Set<Integer> conversations = new TreeSet<>();
        for (int c = 0; c < chat.conversations(); c++) {
            byte[] key = chat.conversationId(c).getBytes(StandardCharsets.UTF_8);
            if (partitions.contains(Utils.toPositive(Utils.murmur2(key)) % PARTITIONS)) {
                conversations.add(c);
            }
        }
        return conversations;
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        List<Measurement> lines = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<PhaseResult> phases = new ArrayList<>();
        for (Case c : cases) {
            CaseOutcome outcome = runCase(context, c, phases);
            Figures6 figures = outcome.figures();
            LOG.info("S6 {}: {} {}", c.key(), figures, outcome.counts());
            if (figures.victimConversations() == 0) {
                failures.add(c.key() + ": the stopped instance held no conversation at the event (no active task within "
                        + SETTLE_LIMIT.toSeconds() + " s of the loop's start)");
            } else if (figures.recoverySeconds().isEmpty()) {
                failures.add(c.key() + ": some conversation of the stopped instance never answered again within " + OBSERVE_LIMIT.toSeconds() + " s");
            }
            lines.addAll(lines(c, Optional.of(figures), Optional.of(outcome.counts())));
        }
        Map<String, Object> configuration = configuration(context);
        if (!failures.isEmpty()) {
            return ScenarioResult.failed(id(), title(), String.join("; ", failures), configuration,
                    phases.stream().map(PhaseResult::summary).toList(), lines);
        }
        return ScenarioResult.completed(id(), title(), configuration, phases.stream().map(PhaseResult::summary).toList(), lines);
    }

    private record CaseOutcome(Figures6 figures, CaseCounts counts) {
    }

    private CaseOutcome runCase(ScenarioContext context, Case c, List<PhaseResult> phases) throws Exception {
        String caseId = "S6-" + c.key().replace('.', '-');
        ScenarioTopics topics = context.topicsFor(caseId);
        context.kafka().createTopics(PARTITIONS, topics.all());
        try (OrderBackend backend = OrderBackend.start(Duration.ZERO, 2)) {
            PipelineConfig config = new PipelineConfig(topics.name(), context.kafka().clientConfig(), context.serdeConfig(),
                    topics.names(), PipelineRun.CHANNEL, Workload.ORDER_STATUS_TEXT, PipelineRun.SESSION_TEXT,
                    ProcessingGuarantee.EXACTLY_ONCE_V2, ProcessingGuarantee.EXACTLY_ONCE_V2.defaultCommitInterval(),
                    context.settings().streamThreads(), backend.baseUri(),
                    TURN_TIMEOUT, OptionalInt.empty(),
                    ProcessorPlacement.CHILD_JVM, Optional.of("384m"),
                    context.newDirectory(caseId.toLowerCase(Locale.ROOT) + "-pipeline"));
            // Each processor trains and then maps class data of its own.
            Optional<ClassDataSharing> classData = c.classData()
                    ? Optional.of(ClassDataSharing.forThisJava(config.workDirectory())) : Optional.empty();
            try (FailoverPipeline pipeline = FailoverPipeline.start(config, c.processors(), WORKERS, c.membership(),
                    new ProcessorOptions(processorKafka, c.membership().sessionTimeout().isPresent() ? groupProtocol : "classic",
                            processorJvmOptions),
                    processor -> classData.map(data -> data.ofProcessor(processor).trainingOptions()).orElse(List.of()))) {
                int seeded = sessions(context);
                Workload seeding = new Workload(PipelineRun.CHANNEL, PipelineRun.SESSION_TEXT, caseId + "-s-", seeded);
                long seedStart = context.timer().nanoTime();
                SessionSeeder.produce(context.kafka().clientConfig(), topics.topics().chatEvents(), seeding, seeded, context.clock());
                double seedProduce = (context.timer().nanoTime() - seedStart) / 1e9;
                if (!pipeline.awaitConsumed(SEED_LIMIT)) {
                    throw new IllegalStateException("S6 " + c.key() + ": the processors had not stored the " + seeded
                            + " seeded sessions within " + SEED_LIMIT.toMinutes() + " min");
                }
                double seedStored = (context.timer().nanoTime() - seedStart) / 1e9;
                LOG.info("S6 {}: {} sessions produced in {} s, stored after {} s", c.key(), seeded, seedProduce, seedStored);
                if (classData.isPresent()) {
                    restartWithTheTrainedClassData(pipeline, c, classData.get());
                }
                Workload chat = new Workload(PipelineRun.CHANNEL, Workload.ORDER_STATUS_TEXT, caseId + "-c-", CONVERSATIONS);
                try (ClosedLoopChat loop = new ClosedLoopChat(context.kafka().clientConfig(), topics.topics().chatEvents(),
                        topics.topics().defaultReplies(), chat, Duration.ofSeconds(THINK_SECONDS), context.timer(), context.clock())) {
                    long loopStart = context.timer().nanoTime();
                    loop.start();
                    Thread.sleep(WARM.toMillis());
                    int victim = c.processors() - 1;
                    Optional<Double> settled = awaitSteadyState(loop, context, loopStart,
                            () -> !conversationsOn(pipeline.chatPartitionsOf(victim), chat).isEmpty());
                    LOG.info("S6 {}: closed loop settled after {} s", c.key(), settled.map(String::valueOf).orElse("(not within the limit)"));
                    Set<Integer> victims = conversationsOn(pipeline.chatPartitionsOf(victim), chat);
                    LOG.info("S6 {}: processor {} holds {} of the {} conversations", c.key(), victim, victims.size(), CONVERSATIONS);
                    long restoredBefore = restoredRecords(pipeline, victim);
                    int inFlight = loop.inFlight();
                    long eventAt = context.timer().nanoTime();
                    switch (c.event()) {
                        case KILL_AND_RESTART -> {
                            pipeline.kill(victim);
                            pipeline.startProcessor(victim);
                        }
                        case KILL -> pipeline.kill(victim);
                        case STOP_AND_RESTART -> {
                            pipeline.stop(victim);
                            pipeline.startProcessor(victim);
                        }
                        default -> throw new IllegalStateException("Unknown event " + c.event());
                    }
                    LOG.info("S6 {}: event done after {} ms", c.key(), (context.timer().nanoTime() - eventAt) / 1_000_000);
                    long limit = eventAt + OBSERVE_LIMIT.toNanos();
                    while (context.timer().nanoTime() < limit
                            && Figures6.of(loop.replies(), victims, CONVERSATIONS, eventAt).recoverySeconds().isEmpty()) {
                        Thread.sleep(200);
                    }
                    Thread.sleep(afterRecovery.toMillis());
                    long restored = restoredRecords(pipeline, -1) - restoredBefore;
                    writeReplies(config.workDirectory().resolve("replies.csv"), loop.replies(), victims, eventAt);
                    return new CaseOutcome(Figures6.of(loop.replies(), victims, CONVERSATIONS, eventAt),
                            new CaseCounts(inFlight, restored, seedProduce, seedStored, settled));
                }
            }
        } finally {
            context.kafka().deleteTopics(topics.all());
        }
    }

    /**
     * Ends the training run the pipeline started with (it processed the seeding) with a SIGTERM, as a deploy or a
     * planned restart would, and starts every processor again mapping the class data it wrote at its exit.
     */
    private void restartWithTheTrainedClassData(FailoverPipeline pipeline, Case c, ClassDataSharing classData)
            throws InterruptedException {
        long stopStart = System.nanoTime();
        for (int i = 0; i < pipeline.processorCount(); i++) {
            pipeline.stop(i);
        }
        for (int i = 0; i < pipeline.processorCount(); i++) {
            Path file = classData.ofProcessor(i).file();
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("S6 " + c.key() + ": the training run of processor " + i + " left no class data at "
                        + file + " (its processor log in the work directory, kept with --keep-work-dir, says why)");
            }
        }
        for (int i = 0; i < pipeline.processorCount(); i++) {
            List<String> options = new ArrayList<>(processorJvmOptions);
            options.addAll(classData.ofProcessor(i).useOptions());
            pipeline.startProcessor(i, options);
        }
        LOG.info("S6 {}: training stopped and {} processor(s) started again with their class data in {} ms", c.key(),
                pipeline.processorCount(), (System.nanoTime() - stopStart) / 1_000_000);
    }

    /**
     * Every reply of the case, times in seconds from the event, for reading a timeline afterwards
     * ({@code --keep-work-dir} keeps the file): conversation, on the stopped instance or not, sent, received, kind.
     */
    private static void writeReplies(Path file, List<ClosedLoopChat.Reply> replies, Set<Integer> victims, long eventAt)
            throws IOException {
        StringBuilder csv = new StringBuilder("conversation,stoppedInstance,sentSeconds,receivedSeconds,waitSeconds,kind\n");
        for (ClosedLoopChat.Reply reply : replies) {
            csv.append(reply.conversation()).append(',').append(victims.contains(reply.conversation())).append(',')
                    .append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f", (reply.sentAt() - eventAt) / 1e9,
                            (reply.receivedAt() - eventAt) / 1e9, reply.waitNanos() / 1e9))
                    .append(',').append(reply.kind()).append('\n');
        }
        Files.writeString(file, csv);
    }

    /**
     * Records restored so far by the running processors other than {@code except} (-1: all running).
     * A processor started again is a new JVM whose count starts at zero, so "after minus before over
     * the others" is what the event caused to be restored.
     */
    private static long restoredRecords(FailoverPipeline pipeline, int except) {
        long restored = 0;
        for (int i = 0; i < pipeline.processorCount(); i++) {
            if (i != except && pipeline.isAlive(i)) {
                restored += pipeline.restoredRecords(i);
            }
        }
        return restored;
    }
}
