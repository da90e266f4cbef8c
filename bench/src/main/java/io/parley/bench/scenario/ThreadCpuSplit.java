package io.parley.bench.scenario;

import io.parley.bench.load.ProcessCpu;
import io.parley.bench.pipeline.ChildCpu;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the bench JVM's CPU time goes during a phase, by kind of thread: a snapshot before and one after, the
 * difference divided by the units of work of the phase. CPU time, not wall-clock time, so another tenant of the
 * machine hardly changes it.
 *
 * <p>Java threads are read by name with {@link ThreadMXBean}; the JVM's own threads (GC, JIT) and RocksDB's
 * background threads, which are not Java threads, by their Linux name from {@code /proc/self/task} (none off Linux);
 * whatever the process used beyond those (threads that ended during the phase, e.g. short-lived admin clients) is
 * the remainder. The load generator is the thread that took the snapshot (it encodes and sends the load).
 */
final class ThreadCpuSplit {

    static final String STREAM = "processor stream threads";
    static final String PROCESSOR_PRODUCER = "processor producer I/O";
    static final String GLOBAL = "processor global thread (device table)";
    static final String LOAD = "load generator (Avro encode, send)";
    static final String LOAD_PRODUCER = "load producer I/O";
    static final String BROKER = "broker and other Java threads";
    static final String GC = "GC";
    static final String JIT = "JIT compiler";
    static final String ROCKSDB = "RocksDB background";
    static final String OTHER_NATIVE = "other JVM native threads";
    static final String REMAINDER = "ended threads and remainder";
    static final String TOTAL = "process total";
    /** Every kind, in the order reports list them. */
    static final List<String> KINDS = List.of(TOTAL, STREAM, PROCESSOR_PRODUCER, GLOBAL, LOAD, LOAD_PRODUCER, BROKER, GC, JIT,
            ROCKSDB, OTHER_NATIVE, REMAINDER);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<String, Long> nanos;

    private ThreadCpuSplit(Map<String, Long> nanos) {
        this.nanos = nanos;
    }

    /** CPU nanoseconds so far, by kind of thread; {@code loadThread} is the thread generating the load. */
    static ThreadCpuSplit now(long loadThread) {
        Map<String, Long> nanos = new HashMap<>();
        long java = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) {
                continue;
            }
            java += cpu;
            nanos.merge(info.getThreadId() == loadThread ? LOAD : kindOf(info.getThreadName()), cpu, Long::sum);
        }
        long nativeThreads = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String kind = nativeKindOf(read(task.resolve("comm")).strip());
                if (kind != null) {
                    long cpu = ChildCpu.fromStat(read(task.resolve("stat")));
                    nativeThreads += cpu;
                    nanos.merge(kind, cpu, Long::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or a thread ended while read: its time goes to the remainder.
        }
        long total = ProcessCpu.jvm().nanos().orElse(0);
        nanos.put(TOTAL, total);
        nanos.put(REMAINDER, total - java - nativeThreads);
        return new ThreadCpuSplit(nanos);
    }

    /** Microseconds of CPU per unit of work between {@code before} and this snapshot, by kind, in {@link #KINDS} order. */
    Map<String, Double> microsPerUnitSince(ThreadCpuSplit before, long units) {
        Map<String, Double> split = new LinkedHashMap<>();
        for (String kind : KINDS) {
            long delta = nanos.getOrDefault(kind, 0L) - before.nanos.getOrDefault(kind, 0L);
            split.put(kind, delta / 1e3 / units);
        }
        return split;
    }

    static String kindOf(String name) {
        if (name.startsWith("kafka-producer-network-thread")) {
            return name.contains("StreamThread") ? PROCESSOR_PRODUCER : LOAD_PRODUCER;
        }
        if (name.contains("GlobalStreamThread")) {
            return GLOBAL;
        }
        if (name.contains("StreamThread")) {
            return STREAM;
        }
        return BROKER;
    }

    /** The kind of a thread the JVM or RocksDB runs outside Java, by its Linux name; null for a Java thread. */
    static String nativeKindOf(String comm) {
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("ZWorker") || comm.startsWith("ZDirector")) {
            return GC;
        }
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (comm.startsWith("rocksdb:")) {
            return ROCKSDB;
        }
        if (comm.equals("VM Thread") || comm.equals("VM Periodic Tas") || comm.equals("Monitor Deflati")) {
            return OTHER_NATIVE;
        }
        return null;
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    }
}
