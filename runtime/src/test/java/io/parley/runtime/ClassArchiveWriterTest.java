package io.parley.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.kafka.common.config.ConfigException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The class archive a service writes for its later starts, with real JVMs: while it runs, from the
 * list of the classes it loads (as the launcher starts a service) by a second JVM the writer starts;
 * at its clean stop, by the service's own JVM.
 */
class ClassArchiveWriterTest {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path directory;

    private Path classPath;
    private Path classList;
    private Path archive;

    @BeforeEach
    void aClassPathAndTheListOfClassesAJvmLoaded() throws Exception {
        // An archive fits one class path; a jar (directories with classes cannot be archived) with nothing in it will do
        classPath = directory.resolve("app.jar");
        new JarOutputStream(Files.newOutputStream(classPath)).close();
        classList = directory.resolve("service.jsa.4242.loaded");
        Process listing = new ProcessBuilder(JAVA.toString(), "-XX:DumpLoadedClassList=" + classList, "-cp", classPath.toString(),
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(listing.waitFor()).isZero();
        assertThat(Files.readAllLines(classList)).contains("java/lang/Object");
        archive = directory.resolve("service.jsa");
    }

    @Test
    void writesAnArchiveThatAJvmWithTheSameClassPathMaps() throws Exception {
        // Given the list, its last line still being written (the service's JVM appends to it while it runs)
        Files.writeString(classList, "java/util/concurrent/Concurrent", StandardOpenOption.APPEND);

        // When the writer runs
        boolean wrote = writer(JAVA).write();

        // Then the archive is there and a JVM that must map it or fail starts; nothing else is left
        assertThat(wrote).isTrue();
        assertThat(mapsWith(archive)).isZero();
        assertThat(files()).containsExactly("app.jar", "service.jsa");
    }

    @Test
    void anArchiveAlreadyThereIsLeftAsItIs() throws Exception {
        // Given an archive another instance sharing the folder wrote
        Files.writeString(archive, "the other instance's");

        // When the writer runs, then it writes nothing and keeps the list
        assertThat(writer(JAVA).write()).isFalse();
        assertThat(archive).hasContent("the other instance's");
        assertThat(classList).exists();
    }

    @Test
    void withoutTheMemoryToSpareForTheDumpingJvmNothingIsWritten() throws Exception {
        // Given a container 300 MB below its limit, when the writer runs, then it leaves the archive to the clean stop
        assertThat(writerInAContainerWithFree(300, 0).write()).isFalse();
        assertThat(archive).doesNotExist();
        // and keeps the class list: only a clean stop deletes it, so a crash after this still reads as one to the launcher
        assertThat(classList).exists();
    }

    @Test
    void theMemoryTheServicesHeapMayStillTakeIsNotSpare() throws Exception {
        // Given a container 1,000 MB below its limit and a service whose heap may grow by 600 MB
        assertThat(writerInAContainerWithFree(1000, 600).write()).isFalse();
        assertThat(archive).doesNotExist();
    }

    /** A writer in a container (cgroup v2) with this much free below its limit, for a service whose heap may grow by this much. */
    private ClassArchiveWriter writerInAContainerWithFree(long freeMib, long heapGrowthMib) throws IOException {
        Path machine = directory.resolve("machine");
        Files.createDirectories(machine.resolve("sys/fs/cgroup"));
        Files.writeString(machine.resolve("sys/fs/cgroup/memory.max"), (4096L << 20) + "\n");
        Files.writeString(machine.resolve("sys/fs/cgroup/memory.current"), ((4096L - freeMib) << 20) + "\n");
        return new ClassArchiveWriter(archive, classList, JAVA, classPath.toString(), 4242, new MemoryHeadroom(machine),
                () -> heapGrowthMib << 20);
    }

    @Test
    void aDumpThatFailsLeavesNoArchiveAndNothingHalfWritten() throws Exception {
        // Given a Java that cannot be started (a JDK removed under a running service, say)
        Path missingJava = directory.resolve("no-jdk/bin/java");

        // When the writer runs, then it says no and leaves neither an archive nor its own files
        assertThat(writer(missingJava).write()).isFalse();
        assertThat(files()).containsExactly("app.jar", "service.jsa.4242.loaded");
    }

    @Test
    void theDumpingJvmRunsAtLowPriorityWithASmallHeapOnTheServicesClassPath() {
        List<String> command = writer(JAVA).command(Path.of("list"), Path.of("part"));

        assertThat(command).containsSubsequence(JAVA.toString(), ClassArchiveWriter.DUMP_HEAP, "-Xshare:dump",
                "-XX:SharedClassListFile=list", "-XX:SharedArchiveFile=part", "-cp", classPath.toString());
        if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
            assertThat(command.subList(0, 3)).containsExactly("/usr/bin/nice", "-n", "10");
        }
    }

    @Test
    void onlyCompleteLinesOfTheListAreDumped() {
        byte[] list = "java/lang/Object\njava/lang/Str".getBytes(StandardCharsets.UTF_8);

        assertThat(new String(ClassArchiveWriter.completeLines(list), StandardCharsets.UTF_8)).isEqualTo("java/lang/Object\n");
        assertThat(ClassArchiveWriter.completeLines("java/lang/Str".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void theDelayIsADurationOrSecondsAndAMinuteOtherwise() {
        assertThat(ClassArchiveWriter.delay("PT5S")).isEqualTo(Duration.ofSeconds(5));
        assertThat(ClassArchiveWriter.delay("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ClassArchiveWriter.delay("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ClassArchiveWriter.delay(null)).isEqualTo(Duration.ofMinutes(1));
        assertThat(ClassArchiveWriter.delay("soon")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void atItsCleanStopAServiceWritesTheClassesItLoadedIntoAnArchiveThatItsNextStartMaps() throws Exception {
        // Given a service started as the launcher starts one without an archive (jars only: the JVM
        // refuses directories on its class path when it records what a dump at the stop needs)
        String serviceClassPath = serviceJar() + File.pathSeparator + jarOf(LoggerFactory.class) + File.pathSeparator
                + jarOf(ConfigException.class);

        // When it stops cleanly
        Process service = new ProcessBuilder(JAVA.toString(), "-XX:+RecordDynamicDumpInfo", "-XX:DumpLoadedClassList=" + classList,
                "-D" + ClassArchiveWriter.ARCHIVE_PROPERTY + "=" + archive, "-D" + ClassArchiveWriter.CLASS_LIST_PROPERTY + "=" + classList,
                "-cp", serviceClassPath, ServiceThatStopsCleanly.class.getName())
                .redirectErrorStream(true).redirectOutput(directory.resolve("service.out").toFile()).start();
        assertThat(service.waitFor()).as(Files.readString(directory.resolve("service.out"))).isZero();

        // Then its archive is there, and a JVM on the same class path that must map it or fail starts
        assertThat(archive).isRegularFile();
        assertThat(mapsWith(archive, serviceClassPath)).isZero();
        assertThat(files()).doesNotContain("service.jsa.4242.loaded").noneMatch(name -> name.endsWith(".stopping"));
    }

    /** A service that has run and stops: its shutdown hook closes it, then writes the archive. */
    public static final class ServiceThatStopsCleanly {
        public static void main(String[] arguments) {
            Runtime.getRuntime().addShutdownHook(new Thread(ClassArchiveWriter::writeAtCleanStop));
            new java.util.concurrent.ConcurrentSkipListMap<String, String>().put("a", "loaded while serving");
        }
    }

    @Test
    void aJvmNotStartedToDumpItsClassesWritesNothingAtItsStop() throws Exception {
        // This JVM was not started with -XX:+RecordDynamicDumpInfo: its dump refuses, and the writer leaves no file
        assertThat(ClassArchiveWriter.recordsForADump()).isFalse();
        assertThat(writer(JAVA).writeAtStop(Optional.of(ClassArchiveWriter::dynamicDump))).isFalse();
        assertThat(archive).doesNotExist();
        // and its class list is gone: the launcher takes a list left by an ended JVM for a run that did not stop cleanly
        assertThat(files()).containsExactly("app.jar");
    }

    @Test
    void aJvmStartedWithoutRecordingForADumpDoesNotTryOneAtItsStopButMarksItClean() throws Exception {
        assertThat(writer(JAVA).writeAtStop(Optional.empty())).isFalse();
        assertThat(files()).containsExactly("app.jar");
    }

    @Test
    void anArchiveWrittenWhileRunningIsNotWrittenAgainAtTheStop() throws Exception {
        // Given the archive, written a minute after the start
        Files.writeString(archive, "written while running");

        // When the service stops cleanly, then its JVM does not dump again (a dump takes seconds of the stop)
        assertThat(writer(JAVA).writeAtStop(Optional.of(file -> {
            throw new AssertionError("dumped although the archive exists");
        }))).isFalse();
        assertThat(archive).hasContent("written while running");
    }

    @Test
    void aDumpThatFailsAtTheStopLeavesNoArchiveAndNothingHalfWritten() throws Exception {
        assertThat(writer(JAVA).writeAtStop(Optional.of(file -> {
            Files.writeString(file, "half an archive");
            throw new IOException("No space left on device");
        }))).isFalse();
        assertThat(files()).containsExactly("app.jar");
    }

    @Test
    void theMarkerOfAnAotTrainingRunIsDeletedAtTheCleanStopSoTheLauncherTakesItsTraining() throws Exception {
        // Given the marker the launcher left for a JVM training an AOT cache (Java 25 and later)
        List<String> before = files();
        Path marker = Files.writeString(directory.resolve("parley-processor-1.aot.4242.started"), "");
        // When the service stops cleanly after it ran
        ClassArchiveWriter.endAotTrainingRun(marker.toString());
        // Then the marker is gone, and without one (not asked, or deleted already) nothing happens
        assertThat(marker).doesNotExist();
        ClassArchiveWriter.endAotTrainingRun(marker.toString());
        ClassArchiveWriter.endAotTrainingRun(null);
        assertThat(files()).isEqualTo(before);
    }

    /** This module's classes, and the service above, in one jar. */
    private Path serviceJar() throws IOException {
        Path jar = directory.resolve("service.jar");
        Path classes = Path.of(jarOf(ClassArchiveWriter.class));
        Path service = Path.of(jarOf(ServiceThatStopsCleanly.class));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(classes)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                addEntry(out, classes.relativize(file).toString(), file);
            }
            String serviceClass = ServiceThatStopsCleanly.class.getName().replace('.', '/') + ".class";
            addEntry(out, serviceClass, service.resolve(serviceClass));
        }
        return jar;
    }

    private static void addEntry(JarOutputStream out, String name, Path file) throws IOException {
        out.putNextEntry(new JarEntry(name.replace(File.separatorChar, '/')));
        out.write(Files.readAllBytes(file));
        out.closeEntry();
    }

    /** Where a class was loaded from: a jar, or this build's folder of classes. */
    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private ClassArchiveWriter writer(Path java) {
        // This machine's free memory, and a service whose heap will not grow (the test JVM's own heap is not the service's)
        return new ClassArchiveWriter(archive, classList, java, classPath.toString(), 4242, MemoryHeadroom.ofThisMachine(), () -> 0);
    }

    /** The exit code of a JVM told to map the archive or fail (-Xshare:on). */
    private int mapsWith(Path file) throws IOException, InterruptedException {
        return mapsWith(file, classPath.toString());
    }

    private int mapsWith(Path file, String classPath) throws IOException, InterruptedException {
        return new ProcessBuilder(JAVA.toString(), "-XX:SharedArchiveFile=" + file, "-Xshare:on", "-cp", classPath,
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
