package io.parley.bench.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * Class data for a processor JVM, as the launchers and the container images give a service after its first clean
 * stop ({@code libexec/parley-class-sharing.sh}): on Java 25 and later an AOT cache (classes loaded and linked,
 * method profiles of a training run), before that an AppCDS archive of the classes a run loaded. The bench trains in
 * one step (the JVM writes the file at its exit) where the launchers split it (training recorded at the stop, the
 * cache assembled at the next start); the file the next start maps is the same kind either way.
 *
 * @param file where the training run writes the class data and later starts map it from
 * @param aotCache whether it is an AOT cache (Java 25 and later) rather than an AppCDS archive
 */
public record ClassDataSharing(Path file, boolean aotCache) {

    /** The first Java whose launchers train an AOT cache (JEP 483 and 515) instead of writing an archive. */
    static final int AOT_CACHE_FEATURE = 25;

    /** Class data of the kind the launchers would use on {@code javaFeature} (e.g. 17, 25), kept in {@code directory}. */
    public static ClassDataSharing forJava(int javaFeature, Path directory) {
        boolean aot = javaFeature >= AOT_CACHE_FEATURE;
        return new ClassDataSharing(directory.resolve(aot ? "processor.aot" : "processor.jsa"), aot);
    }

    /** The kind the JVMs the bench starts would use: they run on the bench's own Java. */
    public static ClassDataSharing forThisJava(Path directory) {
        return forJava(Runtime.version().feature(), directory);
    }

    /**
     * The same kind for processor {@code index} of several, in a file of its own beside {@link #file()}: each instance
     * trains and maps its own, as each pod or host of a service keeps its own (and two JVMs stopping would otherwise
     * write one file).
     */
    public ClassDataSharing ofProcessor(int index) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return new ClassDataSharing(file.resolveSibling(name.substring(0, dot) + "-" + index + name.substring(dot)), aotCache);
    }

    /** Options of the training run, which writes {@link #file()} when it exits (a SIGTERM's clean stop). */
    public List<String> trainingOptions() {
        return List.of(aotCache ? "-XX:AOTCacheOutput=" + file : "-XX:ArchiveClassesAtExit=" + file);
    }

    /** Options of a start that maps {@link #file()}. */
    public List<String> useOptions() {
        return List.of(aotCache ? "-XX:AOTCache=" + file : "-XX:SharedArchiveFile=" + file);
    }

    /** For the report's configuration. */
    public String describe() {
        return describe(aotCache);
    }

    /** What {@link #describe()} says of the class data of JVMs on the bench's own Java, before there is a file. */
    public static String describeForThisJava() {
        return describe(Runtime.version().feature() >= AOT_CACHE_FEATURE);
    }

    private static String describe(boolean aotCache) {
        return (aotCache ? "AOT cache (Java 25+)" : "AppCDS archive") + " of a training run that processed the seeding and "
                + "stopped with SIGTERM, as the launchers and images have after a service's first clean stop";
    }
}
