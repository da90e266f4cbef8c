package io.parley.processor.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from a copy the processor keeps in its state directory, on a thread of its own
 * while the processor starts.
 *
 * <p>Left to itself, RocksDB copies its library (15 MB for Linux x86-64) out of its jar into {@code java.io.tmpdir}
 * under a new name at every start, after running {@code ldd} in a shell to tell musl from glibc: about 200 ms of a
 * restart on an idle machine, before Kafka Streams can open a store. The copy is deleted when the JVM exits normally,
 * so every processor that was killed, the crash a restart in place recovers from, left 15 MB behind for good (in
 * a Kubernetes pod, on its {@code /tmp} volume, which outlives the container's restarts). Here the copy is made once
 * per library version, in {@value #FOLDER}/ of the state directory, and loaded from there at every start; the
 * loading runs beside the start's other steps, and Kafka Streams' own call to load the library waits for it.
 *
 * <p>Anything that goes wrong (a folder that cannot be written, a platform the jar has no library for, a class path
 * without the jar) leaves the library to RocksDB's own loading, as before, with one line at INFO.
 */
public final class RocksDbNativeLibrary {

    /** Where in the state directory the copies are kept. */
    static final String FOLDER = "native";

    private static final Logger LOG = LoggerFactory.getLogger(RocksDbNativeLibrary.class);
    private static final String VERSION_PREFIX = "rocksdbjni-";
    private static final Pattern PART = Pattern.compile(".*\\.(\\d+)\\.part");
    /** The library is loaded once per JVM: a second processor in it (tests, the bench) has nothing to do. */
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private RocksDbNativeLibrary() {
    }

    /**
     * Starts loading the library on a daemon thread, from its kept copy in {@value #FOLDER}/ of the state directory
     * that Kafka Streams settings {@code streamsSettings} name ({@code state.dir}, or Kafka Streams' default), which is
     * made first if it is missing. Returns at once; does nothing after the first call in a JVM.
     */
    public static void loadInBackground(Map<String, ?> streamsSettings) {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Path folder = stateDirectory(streamsSettings).resolve(FOLDER);
        Thread loader = new Thread(() -> load(folder), "rocksdb-library");
        loader.setDaemon(true);
        loader.start();
    }

    /** Kafka Streams' {@code state.dir} as it resolves it from {@code streamsSettings}. */
    static Path stateDirectory(Map<String, ?> streamsSettings) {
        Object configured = streamsSettings.get(StreamsConfig.STATE_DIR_CONFIG);
        Object directory = configured != null ? configured
                : StreamsConfig.configDef().defaultValues().get(StreamsConfig.STATE_DIR_CONFIG);
        return Path.of(String.valueOf(directory));
    }

    /** Loads the library from its kept copy in {@code folder}; on any failure leaves it to RocksDB's own loading. */
    static void load(Path folder) {
        try {
            // The name the jar stores the library under, and the one RocksDB.loadLibrary(paths) looks for in a folder
            // (they differ: the latter is derived from "rocksdbjni", the former from "rocksdb").
            String resource = Environment.getJniLibraryFileName("rocksdb");
            String loadedName = Environment.getJniLibraryFileName("rocksdbjni");
            Optional<Path> copy = keptCopy(folder, RocksDB.class.getClassLoader(), resource, loadedName);
            if (copy.isEmpty()) {
                LOG.info("RocksDB's native library {} is not in a jar on the class path; RocksDB loads it itself", resource);
                return;
            }
            RocksDB.loadLibrary(List.of(copy.get().getParent().toString()));
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.info("RocksDB's native library could not be loaded from a copy in {} ({}); RocksDB loads it itself", folder,
                    e.toString());
        }
    }

    /**
     * The kept copy of jar resource {@code resource} as {@code folder}/{@value #VERSION_PREFIX}<em>crc-size</em>/{@code
     * fileName}, made if it is missing or not whole; empty when the resource is not in a jar (its checksum is what names
     * a version). Copies of other versions, and parts that ended JVMs left, are deleted.
     */
    static Optional<Path> keptCopy(Path folder, ClassLoader loader, String resource, String fileName) throws IOException {
        URL url = loader.getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            return Optional.empty();
        }
        // Not cached: the jar file is this method's own, and closed here.
        connection.setUseCaches(false);
        try (JarFile jar = jarConnection.getJarFile()) {
            JarEntry entry = jar.getJarEntry(jarConnection.getEntryName());
            if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
                return Optional.empty();
            }
            Path version = folder.resolve(VERSION_PREFIX + Long.toHexString(entry.getCrc()) + "-" + entry.getSize());
            Path copy = version.resolve(fileName);
            Files.createDirectories(version);
            deleteOtherVersions(folder, version);
            deletePartsOfEndedJvms(version);
            if (Files.isRegularFile(copy) && Files.size(copy) == entry.getSize()) {
                return Optional.of(copy);
            }
            copy(jar, entry, copy);
            LOG.info("RocksDB's native library {} kept in {} for this and later starts", resource, version);
            return Optional.of(copy);
        }
    }

    /** Written beside its place and moved there whole: a JVM killed while copying leaves a part, never a short copy. */
    private static void copy(JarFile jar, JarEntry entry, Path copy) throws IOException {
        Path part = copy.resolveSibling(copy.getFileName() + "." + ProcessHandle.current().pid() + ".part");
        try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
        }
        long copied = Files.size(part);
        if (copied != entry.getSize()) {
            Files.deleteIfExists(part);
            throw new IOException("the copy of " + entry.getName() + " is " + copied + " bytes, not " + entry.getSize());
        }
        try {
            Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, copy, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** After an upgrade the old version's copy (15 MB) would stay for ever; a JVM that still maps it keeps its pages. */
    private static void deleteOtherVersions(Path folder, Path version) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, VERSION_PREFIX + "*")) {
            for (Path other : entries) {
                if (!other.equals(version) && Files.isDirectory(other)) {
                    deleteFolder(other);
                }
            }
        }
    }

    private static void deletePartsOfEndedJvms(Path version) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(version, "*.part")) {
            for (Path part : entries) {
                Matcher name = PART.matcher(part.getFileName().toString());
                long owner = name.matches() ? Long.parseLong(name.group(1)) : ProcessHandle.current().pid();
                // Another processor sharing this state directory may be copying right now; ours cannot be.
                boolean copyingNow = owner != ProcessHandle.current().pid()
                        && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
                if (!copyingNow) {
                    Files.deleteIfExists(part);
                }
            }
        }
    }

    private static void deleteFolder(Path folder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        }
        Files.deleteIfExists(folder);
    }
}
