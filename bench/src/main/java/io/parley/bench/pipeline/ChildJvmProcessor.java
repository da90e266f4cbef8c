package io.parley.bench.pipeline;

import io.parley.processor.ProcessorMain;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processor in a JVM of its own, started as a user would start it
 * ({@code java -Xmx… io.parley.processor.ProcessorMain --config processor.yaml}) with the bench's
 * class path: the placement of the memory scenario, where the resident set must be the
 * processor's alone. Its output goes to a log file in the work folder.
 */
final class ChildJvmProcessor implements ProcessorProcess {

    private final ChildJvm jvm;
    private final String adminUrl;
    private final long maxHeapBytes;

    private ChildJvmProcessor(ChildJvm jvm, String adminUrl, long maxHeapBytes) {
        this.jvm = jvm;
        this.adminUrl = adminUrl;
        this.maxHeapBytes = maxHeapBytes;
    }

    /** A free loopback port for the child's admin endpoint (see {@link ChildJvm#freePort()}). */
    static int freePort() {
        return ChildJvm.freePort();
    }

    /**
     * Starts the processor of {@code processorYaml} (whose admin endpoint listens on
     * {@code adminPort}) and returns once it reports ready, that is Kafka Streams is RUNNING.
     *
     * @param maxHeap the {@code -Xmx} value, as the JVM spells it ("512m")
     */
    static ChildJvmProcessor start(Path processorYaml, int adminPort, String maxHeap, Path log, Duration timeout)
            throws InterruptedException {
        return start(processorYaml, adminPort, maxHeap, List.of(), log, timeout);
    }

    /** The same with more JVM options after {@code -Xmx}. */
    static ChildJvmProcessor start(Path processorYaml, int adminPort, String maxHeap, List<String> moreJvmOptions, Path log,
                                   Duration timeout) throws InterruptedException {
        String adminUrl = "http://127.0.0.1:" + adminPort;
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx" + maxHeap));
        jvmOptions.addAll(moreJvmOptions);
        ChildJvm jvm = ChildJvm.start("processor", ProcessorMain.class.getName(), processorYaml, jvmOptions,
                Map.of(), URI.create(adminUrl + "/health/ready"), log, timeout);
        return new ChildJvmProcessor(jvm, adminUrl, HeapSizes.parse(maxHeap));
    }

    @Override
    public String adminUrl() {
        return adminUrl;
    }

    @Override
    public long pid() {
        return jvm.pid();
    }

    @Override
    public long maxHeapBytes() {
        return maxHeapBytes;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("processor.placement", "child JVM (processor alone)");
        description.put("processor.jvmOptions", String.join(" ", jvm.jvmOptions()));
        return description;
    }

    /** SIGKILL, as a crash or an OOM kill would end it: no commit, no leaving the group. */
    void kill() throws InterruptedException {
        jvm.kill();
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    /** SIGTERM, on which the processor closes cleanly; killed when it has not stopped within a minute. */
    @Override
    public void close() {
        jvm.close();
    }
}
