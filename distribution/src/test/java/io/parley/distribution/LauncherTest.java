package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.processor.config.ProcessorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' JVM defaults: heap and RocksDB are sized together from one memory budget. Runs
 * the scripts of src/dist with PARLEY_DRY_RUN=1, which prints the java command instead of running it.
 */
class LauncherTest {

    private static final Path SOURCE = Path.of(System.getProperty("parley.distribution.source", "src/dist"));
    private static final Script PROCESSOR = new Script(SOURCE.resolve("bin/parley-processor"));
    private static final Script WORKER = new Script(SOURCE.resolve("bin/parley-worker"));
    private static final Script PARLEY = new Script(SOURCE.resolve("bin/parley"));
    private static final Script ANALYTICS = new Script(SOURCE.resolve("bin/parley-analytics"));
    private static final Script GATEWAY = new Script(SOURCE.resolve("bin/parley-gateway"));

    @TempDir
    Path directory;

    @Test
    void processorHeapIsWhatRocksDbAndTheJvmLeaveOfTheBudget() throws Exception {
        // Given a processor.yaml giving RocksDB 512 MiB, and 2 GiB for the whole process
        Path config = write("processor.yaml", "kafka:\n  bootstrap.servers: k:9092\nrocksdb:\n  totalMemory: 512MiB   # stores\n  writeBufferPercent: 25\n");

        // When the launcher prepares the JVM
        Script.Run run = PROCESSOR.run(dryRun("PARLEY_MEMORY", "2g"), "--config", config.toString());

        // Then the heap is 2048 - 512 - (256 + 204) MiB, fixed, and the split is printed
        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).contains("-Xms1076m", "-Xmx1076m", "-XX:+ExitOnOutOfMemoryError", "io.parley.processor.ProcessorMain",
                "--config", config.toString());
        assertThat(run.stderr()).contains("memory 2048MiB = heap 1076MiB + RocksDB 512MiB + JVM 460MiB");
    }

    @Test
    void rocksDbBudgetIsReadFromFlowStyleYamlToo() throws Exception {
        Path config = write("p.yaml", "kafka: {bootstrap.servers: k:9092}\nrocksdb: {writeBufferPercent: 30, totalMemory: 1GiB}\n");

        Script.Run run = PROCESSOR.run(dryRun("PARLEY_MEMORY", "3Gi"), "--config=" + config);

        assertThat(run.lines()).contains("-Xmx1485m");   // 3072 - 1024 - (256 + 307)
    }

    @Test
    void withoutRocksDbSettingTheProcessorDefaultIsAssumed() throws Exception {
        Path config = write("p.yaml", "kafka:\n  bootstrap.servers: k:9092\n# rocksdb:\n#   totalMemory: 4GiB\n");

        Script.Run run = PROCESSOR.run(dryRun(), "-c", config.toString());

        // 1 GiB by default: 1024 - 128 - (256 + 102)
        assertThat(run.lines()).contains("-Xmx538m");
        assertThat(run.stderr()).contains("RocksDB 128MiB");
    }

    @Test
    void launcherAgreesWithTheProcessorOnTheShippedExample() throws Exception {
        // Given the example configuration the tarball ships
        Path example = SOURCE.resolve("conf/processor.yaml");
        long javaMib = ProcessorConfig.load(example).rocksDb().totalMemoryBytes() >> 20;

        Script.Run run = PROCESSOR.run(dryRun("PARLEY_MEMORY", "1536m"), "--config", example.toString());

        assertThat(run.stderr()).contains("RocksDB " + javaMib + "MiB");
    }

    @Test
    void aBudgetTooSmallForRocksDbStopsTheStartNamingTheSetting() throws Exception {
        Path config = write("processor.yaml", "rocksdb:\n  totalMemory: 512MiB\n");

        Script.Run run = PROCESSOR.run(dryRun("PARLEY_MEMORY", "768m"), "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).startsWith("parley-processor: PARLEY_MEMORY=768m")
                .contains("RocksDB (512MiB, rocksdb.totalMemory in " + config + ")", "raise PARLEY_MEMORY or lower rocksdb.totalMemory");
    }

    @Test
    void anUnreadableSizeIsRefused() throws Exception {
        Script.Run memory = WORKER.run(dryRun("PARLEY_MEMORY", "lots"));
        Path config = write("processor.yaml", "rocksdb:\n  totalMemory: plenty\n");
        Script.Run rocksdb = PROCESSOR.run(dryRun(), "--config", config.toString());

        assertThat(memory.exitCode()).isEqualTo(2);
        assertThat(memory.stderr()).contains("PARLEY_MEMORY='lots' is not a size");
        assertThat(rocksdb.exitCode()).isEqualTo(2);
        assertThat(rocksdb.stderr()).contains(config + ": rocksdb.totalMemory: 'plenty' is not a size");
    }

    @Test
    void bytesFromTheKubernetesDownwardApiAreUnderstood() throws Exception {
        Script.Run run = WORKER.run(dryRun("PARLEY_MEMORY", "1073741824"), "--config", "worker.yaml");

        // A worker has no RocksDB: 1024 - (256 + 102)
        assertThat(run.lines()).contains("-Xms666m", "-Xmx666m", "io.parley.worker.WorkerMain");
    }

    @Test
    void analyticsLeaveRoomForTheirStores() throws Exception {
        Script.Run run = ANALYTICS.run(dryRun("PARLEY_MEMORY", "1g"), "--config", "analytics.yaml");

        // 1024 - 256 - (256 + 102)
        assertThat(run.lines()).contains("-Xmx410m", "io.parley.analytics.AnalyticsMain", "analytics.yaml");
        assertThat(PARLEY.run(dryRun(), "analytics", "-c", "a.yaml").lines()).contains("io.parley.analytics.AnalyticsMain", "a.yaml");
    }

    @Test
    void theGatewayGetsTheWholeBudgetButTheJvmsShare() throws Exception {
        Script.Run run = GATEWAY.run(dryRun("PARLEY_MEMORY", "1g"), "--config", "gateway.yaml");

        // No RocksDB in a gateway: 1024 - (256 + 102)
        assertThat(run.lines()).contains("-Xmx666m", "io.parley.gateway.GatewayMain", "gateway.yaml");
        assertThat(PARLEY.run(dryRun(), "gateway", "--config", "g.yaml").lines()).contains("io.parley.gateway.GatewayMain", "g.yaml");
    }

    @Test
    void aFixedHeapAndUserOptionsWin() throws Exception {
        Map<String, String> environment = dryRun("PARLEY_HEAP", "700m");
        environment.put("PARLEY_JAVA_OPTS", "-Dfoo=bar -XX:MaxGCPauseMillis=50");

        Script.Run run = WORKER.run(environment);

        assertThat(run.lines()).contains("-Xmx700m", "-Dfoo=bar", "-XX:MaxGCPauseMillis=50");
        // Later options win in the JVM: the user's come after the defaults, before the main class.
        assertThat(run.lines().indexOf("-Dfoo=bar")).isGreaterThan(run.lines().indexOf("-Xmx700m"))
                .isLessThan(run.lines().indexOf("io.parley.worker.WorkerMain"));
    }

    @Test
    void servicesLogThroughTheShippedConfiguration() throws Exception {
        Script.Run run = WORKER.run(dryRun());

        assertThat(run.lines()).anySatisfy(line -> assertThat(line).startsWith("-Dlogback.configurationFile=").endsWith("/conf/logback.xml"));
    }

    @Test
    void theParleyCommandRunsLocalModeAndTheTools() throws Exception {
        assertThat(PARLEY.run(dryRun()).lines()).contains("io.parley.local.LocalMode");
        assertThat(PARLEY.run(dryRun(), "--fresh").lines()).contains("io.parley.local.LocalMode", "--fresh");
        assertThat(PARLEY.run(dryRun(), "nlu", "evaluate", "--flows", "f.yaml").lines())
                .contains("io.parley.processor.cli.NluEvaluateCommand", "--flows", "f.yaml").doesNotContain("evaluate");
        assertThat(PARLEY.run(dryRun(), "connectors", "import-openapi", "api.yaml").lines())
                .contains("io.parley.worker.openapi.ImportOpenApiCommand", "api.yaml");
        assertThat(PARLEY.run(dryRun(), "worker", "--config", "w.yaml").lines()).contains("io.parley.worker.WorkerMain", "w.yaml");
        assertThat(PARLEY.run(dryRun(), "flows", "validate", "f.yaml", "--connectors", "c.yaml").lines())
                .contains("io.parley.local.tools.FlowsMain", "validate", "f.yaml", "--connectors", "c.yaml").doesNotContain("flows");
        assertThat(PARLEY.run(dryRun(), "flows", "graph", "f.yaml").lines()).contains("io.parley.local.tools.FlowsMain", "graph", "f.yaml");
        assertThat(PARLEY.run(dryRun(), "flows", "test", "t.yaml").lines()).contains("io.parley.local.tools.FlowsMain", "test", "t.yaml");
        Script.Run unknownFlows = PARLEY.run(dryRun(), "flows", "publish");
        assertThat(unknownFlows.exitCode()).isEqualTo(2);
        assertThat(unknownFlows.stderr()).contains("unknown command 'flows publish'");
        Script.Run unknown = PARLEY.run(dryRun(), "nlu", "train");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown command 'nlu train'");
    }

    @Test
    void aServiceWithoutAClassArchiveWritesOneAtItsFirstCleanStopAndUsesItAfterwards() throws Exception {
        // Given an empty archive folder
        Path archives = Files.createDirectory(directory.resolve("cds"));

        // When the processor is prepared, then its JVM is told to dump the classes it loaded at exit,
        // into a part file named after its process id
        Script.Run first = PROCESSOR.run(classSharing(archives));
        String dump = first.option("-XX:ArchiveClassesAtExit=");
        assertThat(dump).startsWith(archives + "/parley-processor-").matches(".*\\.jsa\\.[0-9]+\\.part");
        assertThat(first.stderr()).contains("parley-processor: class data sharing: the archive is written a minute after the start "
                + "or at the first clean stop");
        // and, for its ClassArchiveWriter to write the archive while it runs, to list the classes it loads
        String list = first.option("-XX:DumpLoadedClassList=");
        assertThat(list).isEqualTo(dump.replaceFirst("\\.part$", ".loaded"));
        assertThat(first.option("-Dparley.class-sharing.class-list=")).isEqualTo(list);
        assertThat(first.option("-Dparley.class-sharing.archive=")).isEqualTo(archiveOf(dump).toString());

        // When that JVM has ended and left a part file that maps (here: a real dump of a JVM with the same class path)
        Path part = partOf(dump, endedProcessId());
        dumpClassArchive(part);
        Script.Run second = PROCESSOR.run(classSharing(archives));

        // Then the next start promotes it to the archive and maps it
        Path archive = archiveOf(dump);
        assertThat(archive).isRegularFile();
        assertThat(part).doesNotExist();
        assertThat(second.lines()).contains("-XX:SharedArchiveFile=" + archive).noneMatch(line -> line.contains("ArchiveClassesAtExit"));
        assertThat(second.stderr()).contains("parley-processor: class data sharing from " + archive);
        // and the worker, another service, has an archive of its own
        assertThat(WORKER.run(classSharing(archives)).option("-XX:ArchiveClassesAtExit=")).contains("/parley-worker-");
    }

    @Test
    void aPartFileThatDoesNotMapIsDeletedNotUsed() throws Exception {
        // Given a part file cut short (its JVM was killed while writing it): mapping it would crash a JVM
        Path archives = Files.createDirectory(directory.resolve("cds"));
        String dump = PROCESSOR.run(classSharing(archives)).option("-XX:ArchiveClassesAtExit=");
        Path part = partOf(dump, endedProcessId());
        Files.write(part, new byte[4096]);

        // When the processor is prepared again
        Script.Run run = PROCESSOR.run(classSharing(archives));

        // Then the broken file is gone, saying so, and the JVM dumps a new one instead of mapping anything
        assertThat(part).doesNotExist();
        assertThat(run.stderr()).contains("parley-processor: class data sharing: " + part + " does not map");
        assertThat(run.lines()).noneMatch(line -> line.startsWith("-XX:SharedArchiveFile="));
        assertThat(run.option("-XX:ArchiveClassesAtExit=")).endsWith(".part");
    }

    @Test
    void aPartFileNamedAfterAProcessIdTakenAgainByAnotherProcessIsPromoted() throws Exception {
        // Given a part file whose JVM has ended and whose process id now belongs to another process
        // (ids wrap around: 32768 of them on many machines, and every thread takes one)
        Path archives = Files.createDirectory(directory.resolve("cds"));
        String dump = PROCESSOR.run(classSharing(archives)).option("-XX:ArchiveClassesAtExit=");
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Path part = partOf(dump, other.pid());
            dumpClassArchive(part);

            // When the processor is prepared again
            Script.Run run = PROCESSOR.run(classSharing(archives));

            // Then the part file is the archive: the other process is not the JVM that wrote it
            Path archive = archiveOf(dump);
            assertThat(part).doesNotExist();
            assertThat(archive).isRegularFile();
            assertThat(run.lines()).contains("-XX:SharedArchiveFile=" + archive);
        } finally {
            other.destroy();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // the check reads /proc; elsewhere the launcher falls back to kill -0
    void thePartFileOfAJvmStillRunningIsLeftAlone() throws Exception {
        // Given a process that runs with the option naming its part file (as the launcher's JVM does)
        Path archives = Files.createDirectory(directory.resolve("cds"));
        String dump = PROCESSOR.run(classSharing(archives)).option("-XX:ArchiveClassesAtExit=");
        String archive = archiveOf(dump).toString();
        Process running = new ProcessBuilder("bash", "-c",
                "exec bash -c 'sleep 60; :' \"-XX:ArchiveClassesAtExit=$0.$$.part\"", archive).start();
        try {
            Path part = Path.of(archive + "." + running.pid() + ".part");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(Path.of("/proc", Long.toString(running.pid()), "cmdline"))
                    .contains(part.toString()));
            Files.write(part, new byte[4096]);

            // When another instance is prepared from the same folder
            Script.Run run = PROCESSOR.run(classSharing(archives));

            // Then that part file, still being written, is neither checked nor deleted
            assertThat(part).exists();
            assertThat(run.stderr()).doesNotContain("does not map");
            assertThat(run.option("-XX:ArchiveClassesAtExit=")).endsWith(".part");
        } finally {
            running.destroy();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // the check reads /proc; elsewhere the launcher falls back to kill -0
    void theClassListsAndUnfinishedDumpsOfEndedJvmsAreDeletedThoseOfARunningOneKept() throws Exception {
        // Given the files a killed JVM left (its class list, the writer's copy of it, a dump cut short and its output)
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Path archive = archiveOf(PROCESSOR.run(classSharing(archives)).option("-XX:ArchiveClassesAtExit="));
        long ended = endedProcessId();
        List<Path> leftovers = Stream.of("loaded", "classes", "dumping", "log")
                .map(suffix -> archive.resolveSibling(archive.getFileName() + "." + ended + "." + suffix)).toList();
        for (Path leftover : leftovers) {
            Files.writeString(leftover, "java/lang/Object\n");
        }
        // and those of a process that runs with the option naming its class list (as the launcher's JVM does)
        Process running = new ProcessBuilder("bash", "-c",
                "exec bash -c 'sleep 60; :' \"-XX:DumpLoadedClassList=$0.$$.loaded\"", archive.toString()).start();
        try {
            Path runningList = Path.of(archive + "." + running.pid() + ".loaded");
            Path runningDump = Path.of(archive + "." + running.pid() + ".dumping");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(Path.of("/proc", Long.toString(running.pid()), "cmdline"))
                    .contains(runningList.toString()));
            Files.writeString(runningList, "java/lang/Object\n");
            Files.writeString(runningDump, "half an archive");

            // When another instance is prepared from the same folder
            PROCESSOR.run(classSharing(archives));

            // Then the ended JVM's files are gone and the running one's are not
            assertThat(leftovers).allSatisfy(leftover -> assertThat(leftover).doesNotExist());
            assertThat(runningList).exists();
            assertThat(runningDump).exists();
        } finally {
            running.destroy();
        }
    }

    @Test
    void classSharingCanBeTurnedOffAndAnUnknownValueIsRefused() throws Exception {
        Map<String, String> off = classSharing(directory);
        off.put("PARLEY_CLASS_SHARING", "off");
        assertThat(PROCESSOR.run(off).lines())
                .noneMatch(line -> line.contains("Archive") || line.contains("ClassList") || line.contains("class-sharing"));

        Map<String, String> unknown = classSharing(directory);
        unknown.put("PARLEY_CLASS_SHARING", "yes");
        Script.Run refused = PROCESSOR.run(unknown);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("PARLEY_CLASS_SHARING='yes' must be on or off");
    }

    private static Map<String, String> classSharing(Path archives) {
        Map<String, String> environment = dryRun("PARLEY_CLASS_SHARING_DIR", archives.toString());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        return environment;
    }

    /** The part file a JVM with this process id writes, for the dump option the launcher gave. */
    private static Path partOf(String dump, long processId) {
        return archiveOf(dump).resolveSibling(archiveOf(dump).getFileName() + "." + processId + ".part");
    }

    /** The archive a part file becomes, for the dump option the launcher gave. */
    private static Path archiveOf(String dump) {
        return Path.of(dump.replaceFirst("\\.[0-9]+\\.part$", ""));
    }

    /** The id of a process that has ended (so no running JVM owns a part file of that name). */
    private static long endedProcessId() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    /** What a JVM started by the launcher dumps at exit, here from a JVM that only prints its version. */
    private static void dumpClassArchive(Path file) throws Exception {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + file, "-cp", SOURCE.toAbsolutePath().normalize() + "/lib/*",
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(java.waitFor()).isZero();
        assertThat(file).isRegularFile();
    }

    @Test
    void aMissingJavaIsReportedInOneLine() throws Exception {
        Map<String, String> environment = dryRun("JAVA_HOME", directory.toString());

        Script.Run run = WORKER.run(environment);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("parley-worker: needs Java 17 or newer: install one, or set JAVA_HOME\n");
    }

    private static Map<String, String> dryRun(String... variables) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PARLEY_DRY_RUN", "1");
        for (int i = 0; i < variables.length; i += 2) {
            environment.put(variables[i], variables[i + 1]);
        }
        return environment;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text);
    }
}
