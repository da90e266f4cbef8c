package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.processor.config.ProcessorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void servicesRunOnG1UnlessTheUserOptionsChooseACollectorAndEitherWayTheJvmStarts() throws Exception {
        Script.Run byDefault = WORKER.run(dryRun("PARLEY_CLASS_SHARING", "off"));
        Map<String, String> serial = dryRun("PARLEY_CLASS_SHARING", "off");
        serial.put("PARLEY_JAVA_OPTS", "-Dfoo=bar -XX:+UseSerialGC");
        Script.Run chosen = WORKER.run(serial);

        assertThat(byDefault.lines()).contains("-XX:+UseG1GC");
        assertThat(chosen.lines()).contains("-XX:+UseSerialGC").doesNotContain("-XX:+UseG1GC");
        // A JVM given two collectors refuses to start: start the JVM with each command's options.
        assertThat(jvmStartsWithTheOptionsOf(byDefault)).isZero();
        assertThat(jvmStartsWithTheOptionsOf(chosen)).isZero();
    }

    /** Runs the dry run's java with the command's options before the class path, and -version. */
    private static int jvmStartsWithTheOptionsOf(Script.Run dryRun) throws Exception {
        List<String> command = new ArrayList<>(dryRun.lines().subList(0, dryRun.lines().indexOf("-cp")));
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return java.waitFor();
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
    void aServiceWithoutAClassArchiveIsToldToWriteOneAndLaterStartsMapIt() throws Exception {
        // Given an empty archive folder
        Path archives = Files.createDirectory(directory.resolve("cds"));

        // When the processor is prepared, then its JVM is told where its archive goes, to list the classes
        // it loads (for its ClassArchiveWriter to dump a minute after the start) and to record what a dump
        // of its own at the clean stop needs, its files named after its process id
        Script.Run first = PROCESSOR.run(classSharing(archives));
        Path archive = archiveOf(first);
        assertThat(archive.toString()).startsWith(archives + "/parley-processor-").endsWith(".jsa");
        assertThat(first.lines()).contains("-XX:+RecordDynamicDumpInfo").noneMatch(line -> line.contains("ArchiveClassesAtExit"));
        String list = first.option("-XX:DumpLoadedClassList=");
        assertThat(list).matches(Pattern.quote(archive.toString()) + "\\.[0-9]+\\.loaded");
        assertThat(first.option("-Dparley.class-sharing.class-list=")).isEqualTo(list);
        assertThat(first.stderr()).contains("parley-processor: class data sharing: the archive is written a minute after the start "
                + "or at the first clean stop (" + archive + ")");

        // When its service has written the archive (here: a real dump of a JVM with the same class path)
        dumpClassArchive(archive);
        Script.Run second = PROCESSOR.run(classSharing(archives));

        // Then the next start maps it and is told to write nothing
        assertThat(second.lines()).contains("-XX:SharedArchiveFile=" + archive)
                .noneMatch(line -> line.contains("DumpInfo") || line.contains("ClassList") || line.contains("class-sharing"));
        assertThat(second.stderr()).contains("parley-processor: class data sharing from " + archive);
        // and the worker, another service, has an archive of its own
        assertThat(archiveOf(WORKER.run(classSharing(archives))).toString()).contains("/parley-worker-");
    }

    @Test
    @EnabledOnOs(OS.LINUX) // the check reads /proc; elsewhere the launcher falls back to kill -0
    void whatEndedJvmsLeftBesideTheArchiveIsDeletedWhatARunningOneWritesIsKept() throws Exception {
        // Given the files a killed JVM left (its class list, the writer's copy of it, dumps cut short and the dumping JVM's output)
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Path archive = archiveOf(PROCESSOR.run(classSharing(archives)));
        List<Path> leftovers = new ArrayList<>(filesOf(archive, endedProcessId(), "loaded", "classes", "dumping", "log", "stopping"));
        // and those named after a process id now taken by another process (ids wrap around: 32768 on many machines)
        Process other = new ProcessBuilder("sleep", "60").start();
        // and those of a JVM still running, started by the launcher from the same folder
        Process running = processRunningWith("-XX:DumpLoadedClassList=" + archive + ".$$.loaded");
        try {
            leftovers.addAll(filesOf(archive, other.pid(), "loaded", "stopping"));
            List<Path> runningFiles = filesOf(archive, running.pid(), "loaded", "dumping", "stopping");
            Path unrelated = Files.writeString(archives.resolve(archive.getFileName() + ".backup"), "an operator's");
            for (Path file : Stream.concat(leftovers.stream(), runningFiles.stream()).toList()) {
                Files.writeString(file, "java/lang/Object\n");
            }

            // When another instance is prepared from the same folder
            PROCESSOR.run(classSharing(archives));

            // Then the ended JVMs' files are gone, and the running one's and what is not a JVM's are not
            assertThat(leftovers).allSatisfy(leftover -> assertThat(leftover).doesNotExist());
            assertThat(runningFiles).allSatisfy(file -> assertThat(file).exists());
            assertThat(unrelated).exists();
        } finally {
            running.destroy();
            other.destroy();
        }
    }

    @Test
    void theArchivesOfTheServicesOtherVersionsAreDeletedThoseOfOtherServicesKept() throws Exception {
        // Given the archive an earlier version of the processor wrote (another fingerprint) and what a killed JVM of it left,
        // and the worker's archive in the same folder
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Path archive = archiveOf(PROCESSOR.run(classSharing(archives)));
        Path older = archives.resolve("parley-processor-0.jsa");
        Path olderList = archives.resolve("parley-processor-0.jsa." + endedProcessId() + ".loaded");
        Path worker = archives.resolve("parley-worker-0.jsa");
        for (Path file : List.of(older, olderList, worker)) {
            Files.writeString(file, "an archive");
        }

        // When this version of the processor is prepared
        Script.Run run = PROCESSOR.run(classSharing(archives));

        // Then the earlier version's files are gone (50-75 MB at every upgrade otherwise), saying so, and the worker's kept
        assertThat(archive.getFileName().toString()).isNotEqualTo("parley-processor-0.jsa");
        assertThat(older).doesNotExist();
        assertThat(olderList).doesNotExist();
        assertThat(worker).exists();
        assertThat(run.stderr()).contains("parley-processor: class data sharing: deleted " + older + ", the archive of another version");
        // (another version's class list says nothing of how this version's last run ended)
        assertThat(run.lines()).contains("-XX:+RecordDynamicDumpInfo");
    }

    @Test
    void aStartAfterARunThatDidNotStopCleanlyDoesNotRecordForADumpAtItsStop() throws Exception {
        // Given the class list a JVM of this version left when it was killed (a clean stop deletes it)
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Path archive = archiveOf(PROCESSOR.run(classSharing(archives)));
        Files.writeString(filesOf(archive, endedProcessId(), "loaded").get(0), "java/lang/Object\n");

        // When the processor is started again (by a supervisor, most likely)
        Script.Run restart = PROCESSOR.run(classSharing(archives));

        // Then it goes without the recording that slows a start, saying so, and still lists its classes for the
        // archive written while it runs
        assertThat(restart.lines()).doesNotContain("-XX:+RecordDynamicDumpInfo")
                .contains("-Dparley.class-sharing.archive=" + archive);
        assertThat(restart.option("-XX:DumpLoadedClassList=")).endsWith(".loaded");
        assertThat(restart.stderr()).contains("parley-processor: class data sharing: the archive is written a minute after the start ("
                + archive + "); the last run ended without a clean stop");
        // and the start after a run that stopped cleanly (no list left) records again
        assertThat(PROCESSOR.run(classSharing(archives)).lines()).contains("-XX:+RecordDynamicDumpInfo");
    }

    @Test
    void onJava25AServiceTrainsTheStartAfterItsCleanStopAssemblesTheAotCacheAndLaterStartsUseIt() throws Exception {
        // Given Java 25 (a stand-in home: the launcher reads its release file and prints the command it would run),
        // an empty folder but for the archive this processor had on Java 17
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Path java17Archive = Files.writeString(archiveOf(PROCESSOR.run(classSharing(archives))), "an archive");
        Map<String, String> onJava25 = classSharingOn(javaHome("25.0.3"), archives);

        // When the processor is prepared, then its JVM trains for an AOT cache of this version, the training's output
        // named after its process id, with a marker its service deletes at a clean stop, and no archive of Java 17's kind
        Script.Run first = PROCESSOR.run(onJava25);
        String output = first.option("-XX:AOTConfiguration=");
        Matcher named = Pattern.compile("(" + Pattern.quote(archives + "/parley-processor-") + "[0-9]+\\.aot)\\.([0-9]+)\\.training")
                .matcher(output);
        assertThat(named.matches()).as(output).isTrue();
        Path cache = Path.of(named.group(1));
        assertThat(first.lines()).contains("-XX:AOTMode=record").noneMatch(line -> line.contains("AOTCacheOutput"));
        assertThat(first.option("-Dparley.class-sharing.aot-run=")).isEqualTo(cache + "." + named.group(2) + ".started");
        assertThat(first.lines()).noneMatch(line -> line.contains("DumpInfo") || line.contains("ClassList")
                || line.contains("SharedArchiveFile") || line.contains("class-sharing.archive"));
        assertThat(first.stderr()).contains("parley-processor: class data sharing: this run trains for the AOT cache, which the "
                + "start after its clean stop assembles (" + cache + ")").contains("deleted " + java17Archive + ", the archive of another version");
        assertThat(java17Archive).doesNotExist();

        // When that run stopped cleanly (its service deleted the marker) and its JVM wrote the training at its exit
        Files.writeString(fileOf(cache, endedProcessId(), "training"), "a training");
        Script.Run second = PROCESSOR.run(onJava25);

        // Then the next start takes it as the configuration to assemble the cache from, and trains no more
        Path configuration = Path.of(cache + ".config");
        assertThat(configuration).hasContent("a training");
        assertThat(second.lines()).noneMatch(line -> line.startsWith("-XX:AOT") || line.contains("class-sharing."));
        assertThat(second.stderr()).contains("the training of the last clean stop is in place (" + configuration + ")")
                .contains("a start would assemble the AOT cache now, from the training of the last clean stop (" + cache + ")");
        assertThat(files(archives)).containsExactly(configuration.getFileName().toString());
    }

    @Test
    void onJava25AStartAssemblesTheAotCacheFromTheTrainingBeforeTheServicesJvmAndRunsWithIt() throws Exception {
        // Given Java 25 (a stand-in that writes the cache it is asked to assemble and records the arguments of each JVM),
        // the training of a clean stop, and options of the service's own, one of which its cache must agree on
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Path javaHome = recordingJavaHome();
        Map<String, String> onJava25 = classSharingOn(javaHome, archives);
        Path cache = cacheOf(PROCESSOR.run(onJava25));
        Path configuration = Files.writeString(Path.of(cache + ".config"), "a training");
        Map<String, String> starting = startingForReal(onJava25);
        starting.put("PARLEY_JAVA_OPTS", "-XX:-UseCompressedOops -Dservice.setting=1");

        // When the processor starts (for real: the stand-in is run)
        Script.Run start = PROCESSOR.run(starting);

        // Then a JVM of its own assembled the cache first, with the service's collector, object layout and module options
        // and a small heap
        assertThat(start.exitCode()).as(start.stderr()).isZero();
        assertThat(Files.readAllLines(javaHome.resolve("assembler.args"))).containsSubsequence("--enable-native-access=ALL-UNNAMED",
                "-XX:+UseG1GC", "-XX:-UseCompressedOops", "-Xms32m", "-Xmx256m", "-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration)
                .contains("-cp", SOURCE.toAbsolutePath().normalize() + "/lib/*").doesNotContain("-Dservice.setting=1");
        assertThat(cache).hasContent("an AOT cache");
        // and the service's JVM runs with it; the training is used up
        assertThat(Files.readAllLines(javaHome.resolve("service.args"))).contains("-XX:AOTCache=" + cache, "-XX:+UseG1GC", "-XX:-UseCompressedOops",
                "io.parley.processor.ProcessorMain");
        assertThat(start.stderr()).contains("parley-processor: class data sharing: assembling the AOT cache from the training of the "
                + "last clean stop (" + cache + ")").containsPattern("class data sharing from the AOT cache " + Pattern.quote(cache.toString())
                + ", assembled in [0-9]+ s");
        assertThat(files(archives)).containsExactly(cache.getFileName().toString());

        // and later starts use it as it is
        Script.Run later = PROCESSOR.run(onJava25);
        assertThat(later.lines()).contains("-XX:AOTCache=" + cache);
        assertThat(later.stderr()).contains("parley-processor: class data sharing from the AOT cache " + cache);
    }

    @Test
    void onJava25ATrainingTheJvmCannotAssembleIsDroppedAndTheServiceStartsWithout() throws Exception {
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Path javaHome = recordingJavaHome();
        Map<String, String> onJava25 = classSharingOn(javaHome, archives);
        Path cache = cacheOf(PROCESSOR.run(onJava25));
        Files.writeString(Path.of(cache + ".config"), "a training");
        Map<String, String> starting = startingForReal(onJava25);
        starting.put("STAND_IN_ASSEMBLY_FAILS", "1");

        Script.Run start = PROCESSOR.run(starting);

        // The service starts all the same, without a cache; nothing is left to fail again, so the next clean stop trains again
        assertThat(start.exitCode()).as(start.stderr()).isZero();
        assertThat(start.stderr()).contains("assembling the AOT cache " + cache + " failed (exit 1: Error: the configuration is not valid);"
                + " this start goes without, and the next clean stop trains again");
        assertThat(Files.readAllLines(javaHome.resolve("service.args"))).noneMatch(line -> line.contains("AOT"))
                .contains("io.parley.processor.ProcessorMain");
        assertThat(files(archives)).isEmpty();
        assertThat(PROCESSOR.run(onJava25).option("-XX:AOTConfiguration=")).endsWith(".training");
    }

    @Test
    void onJava25ARunThatDidNotStopCleanlyLeavesNoTrainingAndTheNextStartDoesNotTrain() throws Exception {
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Map<String, String> onJava25 = classSharingOn(javaHome("25"), archives);
        Path cache = cacheOf(PROCESSOR.run(onJava25));
        // Given a run whose marker is still there: the JVM wrote its training at its exit, but its service never
        // reached a clean stop (a configuration error, say; a kill -9 writes nothing at all)
        long ended = endedProcessId();
        Path marker = Files.writeString(fileOf(cache, ended, "started"), "");
        Path training = Files.writeString(fileOf(cache, ended, "training"), "the training of nothing");

        // When the processor is started again
        Script.Run restart = PROCESSOR.run(onJava25);

        // Then that output is not taken, and this start (a supervisor's restart, most likely) goes without training
        assertThat(marker).doesNotExist();
        assertThat(training).doesNotExist();
        assertThat(files(archives)).isEmpty();
        assertThat(restart.lines()).noneMatch(line -> line.contains("AOT") || line.contains("class-sharing"));
        assertThat(restart.stderr()).contains("no AOT cache yet (" + cache + "); the last run ended without a clean stop");
        // and the start after it trains again
        assertThat(PROCESSOR.run(onJava25).option("-XX:AOTConfiguration=")).endsWith(".training");
    }

    @Test
    void onJava25AnAssemblyCutShortIsDeletedAndTheTrainingAssembledAgain() throws Exception {
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Map<String, String> onJava25 = classSharingOn(javaHome("25"), archives);
        Path cache = cacheOf(PROCESSOR.run(onJava25));
        // Given the training of a clean stop, and what a start left that was killed while it assembled the cache
        Files.writeString(Path.of(cache + ".config"), "a training");
        long ended = endedProcessId();
        Path part = Files.writeString(fileOf(cache, ended, "dumping"), "half a cache");
        Path log = Files.writeString(fileOf(cache, ended, "log"), "Reading AOTConfiguration");

        Script.Run next = PROCESSOR.run(onJava25);

        assertThat(List.of(part, log, cache)).allSatisfy(file -> assertThat(file).doesNotExist());
        assertThat(next.stderr()).contains("a start would assemble the AOT cache now, from the training of the last clean stop (" + cache + ")");
    }

    @Test
    @EnabledOnOs(OS.LINUX) // the check reads /proc; elsewhere the launcher falls back to kill -0
    void onJava25TheMarkerOfATrainingJvmStillRunningIsKept() throws Exception {
        // Given another instance training from the same folder (its marker, and its output named on its command line)
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Map<String, String> onJava25 = classSharingOn(javaHome("25"), archives);
        Path cache = cacheOf(PROCESSOR.run(onJava25));
        Process running = processRunningWith("-XX:AOTConfiguration=" + cache + ".$$.training");
        try {
            Path marker = Files.writeString(fileOf(cache, running.pid(), "started"), "");

            // When this instance is prepared
            Script.Run run = PROCESSOR.run(onJava25);

            // Then the running one's marker stays, and its run is not taken for one that ended without a clean stop
            assertThat(marker).exists();
            assertThat(run.option("-XX:AOTConfiguration=")).endsWith(".training");
        } finally {
            running.destroy();
        }
    }

    @Test
    void aJavaBefore25KeepsTheArchive() throws Exception {
        Path archives = Files.createDirectory(directory.resolve("cds"));
        Script.Run run = PROCESSOR.run(classSharingOn(javaHome("24.0.2"), archives));
        assertThat(archiveOf(run).toString()).endsWith(".jsa");
        assertThat(run.lines()).noneMatch(line -> line.contains("AOT"));
    }

    /** A Java home the launchers take for the given version: its release file, and a java that is never run in a dry run. */
    private Path javaHome(String version) throws IOException {
        Path home = Files.createDirectories(directory.resolve("java-" + version + "/bin"));
        Path java = Files.writeString(home.resolve("java"), "#!/bin/sh\nexit 0\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Files.writeString(home.resolveSibling("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home.getParent();
    }

    /**
     * A Java 25 home whose java writes the cache an assembling JVM is asked for ({@code -XX:AOTMode=create}; with
     * STAND_IN_ASSEMBLY_FAILS it refuses the configuration instead), and records the arguments of each JVM in
     * {@code assembler.args} or {@code service.args} of the home.
     */
    private Path recordingJavaHome() throws IOException {
        Path home = javaHome("25.0.3");
        Files.writeString(home.resolve("bin/java"), """
                #!/bin/sh
                home="$(dirname "$0")/.."
                for argument in "$@"; do
                  case "$argument" in
                    -XX:AOTMode=create) mode=create ;;
                    -XX:AOTCache=*) cache="${argument#-XX:AOTCache=}" ;;
                  esac
                done
                if [ "$mode" != create ]; then
                  printf '%s\n' "$@" >"$home/service.args"
                  exit 0
                fi
                printf '%s\n' "$@" >"$home/assembler.args"
                if [ -n "$STAND_IN_ASSEMBLY_FAILS" ]; then
                  echo "Error: the configuration is not valid"
                  exit 1
                fi
                printf 'an AOT cache' >"$cache"
                """);
        return home;
    }

    /** The same environment without the dry run: the launcher runs its Java (a stand-in) instead of printing the command. */
    private static Map<String, String> startingForReal(Map<String, String> dryRun) {
        Map<String, String> environment = new HashMap<>(dryRun);
        environment.remove("PARLEY_DRY_RUN");
        return environment;
    }

    private static Map<String, String> classSharingOn(Path javaHome, Path archives) {
        Map<String, String> environment = classSharing(archives);
        environment.put("JAVA_HOME", javaHome.toString());
        return environment;
    }

    /** The AOT cache a training run is for. */
    private static Path cacheOf(Script.Run run) {
        String output = run.option("-XX:AOTConfiguration=");
        return Path.of(output.replaceFirst("\\.[0-9]+\\.training$", ""));
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    /** A stand-in for a JVM the launcher started: a process whose command line has this option, $$ its process id. */
    private static Process processRunningWith(String option) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", "exec bash -c 'sleep 60; :' \"" + option + "\"").start();
        String expected = option.replace("$$", Long.toString(process.pid()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
                .contains(expected));
        return process;
    }

    /** The files a JVM with this process id writes beside the archive. */
    private static List<Path> filesOf(Path archive, long processId, String... kinds) {
        return Stream.of(kinds).map(kind -> fileOf(archive, processId, kind)).toList();
    }

    /** A file of this kind a JVM with this process id writes beside the archive (or the AOT cache). */
    private static Path fileOf(Path archive, long processId, String kind) {
        return archive.resolveSibling(archive.getFileName() + "." + processId + "." + kind);
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

    /** The archive the launcher told the JVM to write. */
    private static Path archiveOf(Script.Run run) {
        return Path.of(run.option("-Dparley.class-sharing.archive="));
    }

    /** The id of a process that has ended (so no running JVM owns a part file of that name). */
    private static long endedProcessId() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    /** An archive for the launcher's class path, here from a JVM that only prints its version. */
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
