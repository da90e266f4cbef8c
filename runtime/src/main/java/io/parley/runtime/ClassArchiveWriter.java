package io.parley.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this service's class archive (AppCDS) for its later starts, which then map the classes
 * instead of loading and verifying them one by one (a processor restarted after kill -9 answers
 * again about a second sooner on two cores). Java 17 cannot do this by itself (Java 19's
 * -XX:+AutoCreateSharedArchive can), so the launchers and the container images' entrypoint
 * ({@code libexec/parley-class-sharing.sh}) ask for it when they find no archive, and it is written
 * in one of two ways, whichever comes first:
 *
 * <ul>
 *   <li><b>While the service runs</b> ({@link #startIfAsked}), so that even its first crash restarts
 *       with it. The JVM is started with {@code -XX:DumpLoadedClassList=<list>}, which makes it append
 *       the name of every class it loads to that file. After {@value #DELAY_PROPERTY} (default one
 *       minute: the service has started, joined its group and served) the list's complete lines are
 *       copied and a second JVM, at low priority and with a small heap, dumps them into a static
 *       archive ({@code -Xshare:dump}). The service itself is not paused (an in-process dump would stop
 *       it for seconds), but the dumping JVM takes about 400 MB for as long as it runs (14 s of a core
 *       for the processor), so it only runs where 512 MB are free besides what the service's heap may
 *       still take ({@link MemoryHeadroom}: a container's limit, the machine's memory).</li>
 *   <li><b>At the service's clean stop</b> ({@link #writeAtCleanStop}), called by its shutdown hook
 *       once the service has closed, if no archive exists by then: the JVM, started with
 *       {@code -XX:+RecordDynamicDumpInfo}, dumps the classes it loaded itself (the
 *       {@code VM.cds dynamic_dump} diagnostic command, a few seconds). A JVM that ends before its
 *       service ran (a configuration error) writes nothing, and one that already has its archive does
 *       not dump again. The recording makes class loading about twice as slow, so the launcher leaves
 *       it out of a restart after a run that did not stop cleanly (its class list, which a clean stop
 *       deletes, is still there): that JVM leaves the archive to a later clean stop.</li>
 * </ul>
 *
 * <p>Either way the archive is written beside its target and renamed into place: a JVM that maps
 * it never sees a part of one. Where it goes and the list are the system properties
 * {@value #ARCHIVE_PROPERTY} and {@value #CLASS_LIST_PROPERTY}; without them nothing is written.
 * Whatever goes wrong is logged in one line and changes nothing else.
 */
public final class ClassArchiveWriter {

    public static final String ARCHIVE_PROPERTY = "parley.class-sharing.archive";
    public static final String CLASS_LIST_PROPERTY = "parley.class-sharing.class-list";
    public static final String DELAY_PROPERTY = "parley.class-sharing.dump-after";
    /**
     * On Java 25 and later: the marker of an AOT training run, which the service deletes at its clean stop
     * ({@link #endAotTrainingRun}).
     */
    public static final String AOT_RUN_PROPERTY = "parley.class-sharing.aot-run";
    static final Duration DEFAULT_DELAY = Duration.ofMinutes(1);
    /** The dumping JVM's heap: it holds the classes' archived objects, a few megabytes. */
    static final String DUMP_HEAP = "-Xmx128m";
    /**
     * What the dumping JVM needs in all, whatever its heap: 400 MB for the processor's 9,800 classes
     * (measured, 2026-12-05), most of it the classes' metadata and the archive being built. Without
     * that much to spare besides what the service's heap may still grow by (a container sized for the
     * service) the archive is left to the clean stop.
     */
    static final long DUMP_MEMORY_BYTES = 512L << 20;

    /** What every java launcher reads besides its command line. */
    static final List<String> JAVA_OPTIONS_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private static final Logger LOG = LoggerFactory.getLogger(ClassArchiveWriter.class);

    private final Path archive;
    private final Path classList;
    private final Path java;
    private final String classPath;
    private final long pid;
    private final MemoryHeadroom headroom;
    private final LongSupplier heapGrowth;

    ClassArchiveWriter(Path archive, Path classList, Path java, String classPath, long pid, MemoryHeadroom headroom,
                       LongSupplier heapGrowth) {
        this.archive = archive;
        this.classList = classList;
        this.java = java;
        this.classPath = classPath;
        this.pid = pid;
        this.headroom = headroom;
        this.heapGrowth = heapGrowth;
    }

    /**
     * Schedules the archive's writing while the service runs if the launcher asked for it (see the
     * class comment); does nothing otherwise. The thread is a daemon: a service that stops before the
     * delay writes nothing then (its clean stop does).
     */
    public static void startIfAsked() {
        Optional<ClassArchiveWriter> asked = askedFor();
        if (asked.isEmpty()) {
            return;
        }
        ClassArchiveWriter writer = asked.get();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("class-archive"));
        executor.schedule(() -> {
            try {
                writer.write();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                executor.shutdown();
            }
        }, delay(System.getProperty(DELAY_PROPERTY)).toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Writes the archive from this JVM's loaded classes if the launcher asked for one, none exists yet
     * and the JVM records for it ({@link #recordsForADump}); does nothing otherwise. For a service's
     * shutdown hook, after the service has closed: the dump takes a few seconds, in which the service
     * should not be serving (see the class comment).
     */
    public static void writeAtCleanStop() {
        endAotTrainingRun(System.getProperty(AOT_RUN_PROPERTY));
        // Asked only of a JVM the launcher asked an archive of: no management call at the stop of any other.
        askedFor().ifPresent(writer -> writer.writeAtStop(
                recordsForADump() ? Optional.of(ClassArchiveWriter::dynamicDump) : Optional.empty()));
    }

    /**
     * On Java 25 and later the launcher trains for an AOT cache instead of an archive: the JVM writes the
     * training's configuration at its exit, whatever ended it (a configuration error's JVM too, having run
     * nothing worth keeping), so the launcher takes a run's configuration only once the service has deleted
     * the run's marker, here, at a clean stop after it ran. A marker left behind also tells the launcher that
     * the run did not stop cleanly.
     *
     * @param marker the marker's path ({@value #AOT_RUN_PROPERTY}); nothing to do without one
     */
    static void endAotTrainingRun(String marker) {
        if (marker == null || marker.isBlank()) {
            return;
        }
        try {
            Files.deleteIfExists(Path.of(marker));
        } catch (IOException | InvalidPathException e) {
            LOG.warn("Class data sharing: the AOT training marker {} could not be deleted ({}); the next start takes this run "
                    + "for one that did not stop cleanly: it drops the run's training and does not train", marker, e.toString());
        }
    }

    /**
     * Whether this JVM records what a dump of its own needs ({@code -XX:+RecordDynamicDumpInfo}); the
     * launcher leaves it out of a restart after a run that did not stop cleanly, as it slows the start.
     */
    static boolean recordsForADump() {
        try {
            return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("RecordDynamicDumpInfo").getValue());
        } catch (IllegalArgumentException e) {
            return false; // a JVM without that option (not HotSpot, or a Java that dropped it)
        }
    }

    /** The writer the launcher asked for with the system properties, if it did. */
    private static Optional<ClassArchiveWriter> askedFor() {
        String archive = System.getProperty(ARCHIVE_PROPERTY);
        String classList = System.getProperty(CLASS_LIST_PROPERTY);
        if (archive == null || archive.isBlank() || classList == null || classList.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new ClassArchiveWriter(Path.of(archive), Path.of(classList),
                Path.of(System.getProperty("java.home"), "bin", "java"), System.getProperty("java.class.path"),
                ProcessHandle.current().pid(), MemoryHeadroom.ofThisMachine(), ClassArchiveWriter::heapGrowth));
    }

    /** How much more memory this JVM's heap may take: its maximum less what it uses now. */
    private static long heapGrowth() {
        Runtime runtime = Runtime.getRuntime();
        return Math.max(0, runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory()));
    }

    /** The delay as a duration ({@code PT1M}, {@code 90s}: see {@link Durations}) or a number of seconds; the default for anything else, said once. */
    static Duration delay(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_DELAY;
        }
        String delay = text.strip();
        try {
            return delay.chars().allMatch(Character::isDigit)
                    ? Duration.ofSeconds(Long.parseLong(delay))
                    : Durations.parse(DELAY_PROPERTY, delay);
        } catch (NumberFormatException | ConfigException e) {
            LOG.warn("Class data sharing: {}='{}' is not a duration; dumping after {}", DELAY_PROPERTY, text, DEFAULT_DELAY);
            return DEFAULT_DELAY;
        }
    }

    /**
     * Writes the archive now, by a second JVM, unless it exists; true when this call wrote it.
     * Failures are logged, never thrown: a service runs the same with or without its archive.
     */
    boolean write() throws InterruptedException {
        Path snapshot = sibling(".classes");
        Path part = sibling(".dumping");
        Path output = sibling(".log");
        try {
            if (Files.exists(archive)) {
                return false; // another instance sharing the folder wrote it first
            }
            OptionalLong spare = headroom.bytes();
            long growth = heapGrowth.getAsLong();
            if (spare.isPresent() && spare.getAsLong() < DUMP_MEMORY_BYTES + growth) {
                LOG.info("Class data sharing: not writing {} while running: dumping takes about {} MB, this service's heap may "
                        + "still take {} MB, and {} MB are free (the container's limit or the machine's); the clean stop writes it instead",
                        archive, DUMP_MEMORY_BYTES >> 20, growth >> 20, spare.getAsLong() >> 20);
                // The list stays: the clean stop deletes it, so the launcher can tell a crash after this from a clean stop.
                return false;
            }
            long started = System.nanoTime();
            Files.write(snapshot, completeLines(Files.readAllBytes(classList)));
            int exit = dump(snapshot, part, output);
            if (exit != 0 || !Files.exists(part)) {
                LOG.warn("Class data sharing: writing {} failed (the dumping JVM exited with {}: {}); the clean stop writes it instead",
                        archive, exit, lastLine(output));
                return false;
            }
            return moveIntoPlace(part, "while running", started);
        } catch (IOException e) {
            LOG.warn("Class data sharing: writing {} failed ({}); the clean stop writes it instead", archive, e.toString());
            return false;
        } finally {
            deleteQuietly(snapshot);
            deleteQuietly(part);
            deleteQuietly(output);
        }
    }

    /** Runs the dumping JVM on the list {@code snapshot} into {@code part}, its output into {@code output}; its exit code. */
    private int dump(Path snapshot, Path part, Path output) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command(snapshot, part))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        // The service's own options (a fixed -Xms of a gigabyte in JAVA_TOOL_OPTIONS, say) are not the dump's:
        // with them the dumping JVM would need the service's memory again, or refuse -Xms above its -Xmx.
        JAVA_OPTIONS_VARIABLES.forEach(builder.environment()::remove);
        Process dump = builder.start();
        // A service that stops takes its dump with it (a kill -9 cannot: that one ends by itself, its file unused).
        Thread stopDump = new Thread(dump::destroyForcibly, "class-archive-stop");
        Runtime.getRuntime().addShutdownHook(stopDump);
        try {
            return dump.waitFor();
        } catch (InterruptedException e) {
            dump.destroyForcibly();
            throw e;
        } finally {
            removeShutdownHook(stopDump);
        }
    }

    /**
     * Writes the archive with {@code dump} (this JVM's own, at its clean stop; none when the JVM does not
     * record for one) unless it exists; true when this call wrote it. Either way the class list goes: the
     * launcher takes a list left by an ended JVM for a run that did not stop cleanly. Failures are logged,
     * never thrown: the service has stopped either way.
     */
    boolean writeAtStop(Optional<DynamicDump> dump) {
        Path stopping = sibling(".stopping");
        try {
            if (Files.exists(archive)) {
                return false; // written while running, or by another instance sharing the folder
            }
            if (dump.isEmpty()) {
                LOG.info("Class data sharing: not writing {} at this clean stop: this JVM did not record for it (its start "
                        + "followed a run without a clean stop); the next clean stop writes it", archive);
                return false;
            }
            long started = System.nanoTime();
            String said = dump.get().dumpTo(stopping);
            if (!Files.exists(stopping)) {
                LOG.warn("Class data sharing: the clean stop wrote no {} ({}); the next clean stop tries again", archive, said.strip());
                return false;
            }
            return moveIntoPlace(stopping, "at the clean stop", started);
        } catch (IOException | JMException | RuntimeException e) {
            LOG.warn("Class data sharing: writing {} at the clean stop failed ({}); the next clean stop tries again", archive, e.toString());
            return false;
        } finally {
            deleteQuietly(stopping);
            deleteQuietly(classList);
        }
    }

    /** A dump of this JVM's loaded classes into a file; what it said. */
    @FunctionalInterface
    interface DynamicDump {
        String dumpTo(Path file) throws IOException, JMException;
    }

    /**
     * This JVM's classes dumped by itself, as {@code jcmd <pid> VM.cds dynamic_dump <file>} does (it
     * needs {@code -XX:+RecordDynamicDumpInfo}; without it the JVM says so and writes nothing).
     */
    static String dynamicDump(Path file) throws JMException {
        Object said = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "vmCds", new Object[] {new String[] {"dynamic_dump", file.toString()}}, new String[] {String[].class.getName()});
        return String.valueOf(said);
    }

    List<String> command(Path snapshot, Path part) {
        List<String> command = new ArrayList<>();
        // Low priority: the dump is background work and should not take a core from the service's turns.
        Optional<Path> nice = Optional.of(Path.of("/usr/bin/nice")).filter(Files::isExecutable);
        nice.ifPresent(path -> command.addAll(List.of(path.toString(), "-n", "10")));
        command.addAll(List.of(java.toString(), DUMP_HEAP, "-Xshare:dump",
                "-XX:SharedClassListFile=" + snapshot, "-XX:SharedArchiveFile=" + part, "-cp", classPath));
        return command;
    }

    /** Only whole lines: the JVM may be writing the last one while it is read. */
    static byte[] completeLines(byte[] list) {
        int end = list.length;
        while (end > 0 && list[end - 1] != '\n') {
            end--;
        }
        byte[] complete = new byte[end];
        System.arraycopy(list, 0, complete, 0, end);
        return complete;
    }

    /** Renames the finished dump into the archive unless one appeared meanwhile, and says so. */
    private boolean moveIntoPlace(Path part, String when, long started) throws IOException {
        if (Files.exists(archive)) {
            return false;
        }
        try {
            Files.move(part, archive, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, archive);
        }
        LOG.info("Class data sharing: wrote {} ({} MB) {} in {} ms; later starts map it",
                archive, Files.size(archive) >> 20, when, Duration.ofNanos(System.nanoTime() - started).toMillis());
        // The JVM keeps appending to the list; unlinked, it stops growing on disk.
        Files.deleteIfExists(classList);
        return true;
    }

    private Path sibling(String suffix) {
        return archive.resolveSibling(archive.getFileName() + "." + pid + suffix);
    }

    private static String lastLine(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.ISO_8859_1);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "no output";
        } catch (IOException e) {
            return "no output";
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs, and the dump it stops is over anyway
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left for the launcher, which deletes an ended JVM's leftovers at the next start
        }
    }
}
