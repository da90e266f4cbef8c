package io.parley.e2e.chaos;

import static org.awaitility.Awaitility.await;

import io.parley.e2e.env.AdminEndpoint;
import io.parley.e2e.env.ChildJvm;
import io.parley.e2e.env.Pipeline;
import io.parley.processor.ProcessorMain;
import io.parley.worker.WorkerMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Parley processes of a chaos run, each in its own JVM as an operator runs them: processor
 * instances (a restarted one reuses its state folder, as a pod with its volume would) and a
 * share group of workers. Killing one is SIGKILL, and a replacement is started at once — what a
 * supervisor (Kubernetes, systemd) does.
 */
public final class Fleet implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Pipeline pipeline;
    private final Path state;
    private final String guarantee;
    private final Duration commitInterval;
    private final String shopRetry;
    private final List<ChildJvm> workers = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final List<ChildJvm> processors = new ArrayList<>();
    private int processorsStarted;
    private int workersStarted;
    private int processorKills;
    private int workerKills;

    /**
     * @param guarantee the processor's {@code processing.guarantee}
     * @param commitInterval the processor's {@code commit.interval.ms}
     * @param shopRetry the shop API connector's {@code retry:} entry
     */
    public Fleet(Pipeline pipeline, Path state, String guarantee, Duration commitInterval, String shopRetry) {
        this.pipeline = pipeline;
        this.state = state;
        this.guarantee = guarantee;
        this.commitInterval = commitInterval;
        this.shopRetry = shopRetry;
    }

    /** Starts {@code processorCount} processors and {@code workerCount} workers, and waits until each is ready. */
    public synchronized void start(int processorCount, int workerCount) {
        for (int i = 0; i < processorCount; i++) {
            processors.add(startProcessor(i));
        }
        for (int i = 0; i < workerCount; i++) {
            workers.add(startWorker());
        }
    }

    /** SIGKILL to the (first) processor, and a new one on the same state folder. */
    public synchronized void killProcessor() {
        processors.get(0).kill();
        processorKills++;
        processors.set(0, startProcessor(0));
    }

    /**
     * The first processor freezes (SIGSTOP) for {@code length} — a long GC pause, a stalled VM —
     * past its session timeout, so the group gives its tasks to another instance; then it runs
     * again (SIGCONT), for {@code zombie}, still thinking it owns them until it next hears from the
     * group; then it gets SIGKILL and a new one starts in its place.
     */
    public synchronized void pauseThenKillProcessor(Duration length, Duration zombie) throws InterruptedException {
        ChildJvm frozen = processors.get(0);
        frozen.freeze();
        try {
            Thread.sleep(length.toMillis());
        } finally {
            frozen.resume();
        }
        Thread.sleep(zombie.toMillis());
        killProcessor();
    }

    /** SIGKILL to worker number {@code index} (modulo the number of workers), and a new one in its place. */
    public synchronized void killWorker(int index) {
        int slot = index % workers.size();
        workers.get(slot).kill();
        workerKills++;
        workers.set(slot, startWorker());
    }

    /** Starts the processor of {@code slot}; each slot has its own state folder, which its restarts reuse. */
    private ChildJvm startProcessor(int slot) {
        String name = "processor-" + ++processorsStarted;
        AdminEndpoint admin = AdminEndpoint.onFreePort();
        ChildJvm jvm = ChildJvm.start(name, ProcessorMain.class,
                pipeline.processorConfig(name, state.resolve("instance-" + slot), admin.port(), guarantee, commitInterval));
        return awaitReady(jvm, admin);
    }

    private ChildJvm startWorker() {
        String name = "worker-" + ++workersStarted;
        AdminEndpoint admin = AdminEndpoint.onFreePort();
        ChildJvm jvm = ChildJvm.start(name, WorkerMain.class, pipeline.workerConfig(name, admin.port(), shopRetry));
        return awaitReady(jvm, admin);
    }

    private ChildJvm awaitReady(ChildJvm jvm, AdminEndpoint admin) {
        logs.add(jvm.log());
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> admin.isReady() || !jvm.isAlive());
        if (!jvm.isAlive()) {
            throw new IllegalStateException(jvm + " stopped before it was ready (see its log)");
        }
        return jvm;
    }

    public synchronized int processorKills() {
        return processorKills;
    }

    public synchronized int workerKills() {
        return workerKills;
    }

    /** The logs of every process started, for a failure message. */
    public synchronized List<Path> logs() {
        return List.copyOf(logs);
    }

    @Override
    public synchronized void close() {
        workers.forEach(ChildJvm::close);
        processors.forEach(ChildJvm::close);
    }
}
