package io.parley.processor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy of RocksDB's native library the processor keeps in its state directory. */
class RocksDbNativeLibraryTest {

    private static final String RESOURCE = "libfake-linux64.so";
    private static final String LOADED_NAME = "libfakejni-linux64.so";

    @TempDir
    Path dir;

    @Test
    void aCopyIsMadeOnceAndLoadedFromAtTheStartsAfter() throws IOException {
        Path folder = dir.resolve("state/native");
        try (URLClassLoader jar = jarWith(dir.resolve("v1.jar"), "library version 1")) {
            Path copy = RocksDbNativeLibrary.keptCopy(folder, jar, RESOURCE, LOADED_NAME).orElseThrow();
            assertThat(copy).hasFileName(LOADED_NAME).hasContent("library version 1");
            assertThat(copy.getParent().getParent()).isEqualTo(folder);
            Instant made = Instant.parse("2026-01-01T00:00:00Z");
            Files.setLastModifiedTime(copy, FileTime.from(made));

            assertThat(RocksDbNativeLibrary.keptCopy(folder, jar, RESOURCE, LOADED_NAME)).contains(copy);
            assertThat(Files.getLastModifiedTime(copy).toInstant()).as("not copied again").isEqualTo(made);
        }
    }

    @Test
    void aCopyThatIsNotWholeIsMadeAgain() throws IOException {
        Path folder = dir.resolve("native");
        try (URLClassLoader jar = jarWith(dir.resolve("v1.jar"), "library version 1")) {
            Path copy = RocksDbNativeLibrary.keptCopy(folder, jar, RESOURCE, LOADED_NAME).orElseThrow();
            Files.writeString(copy, "libr");

            assertThat(RocksDbNativeLibrary.keptCopy(folder, jar, RESOURCE, LOADED_NAME)).contains(copy);
            assertThat(copy).hasContent("library version 1");
        }
    }

    @Test
    void anotherVersionGetsAFolderOfItsOwnAndTheOldCopyAndPartsOfEndedJvmsGo() throws IOException {
        Path folder = dir.resolve("native");
        Path old;
        try (URLClassLoader jar = jarWith(dir.resolve("v1.jar"), "library version 1")) {
            old = RocksDbNativeLibrary.keptCopy(folder, jar, RESOURCE, LOADED_NAME).orElseThrow();
        }
        try (URLClassLoader jar = jarWith(dir.resolve("v2.jar"), "library version 2, a little longer")) {
            Path firstCopy = RocksDbNativeLibrary.keptCopy(folder, jar, RESOURCE, LOADED_NAME).orElseThrow();
            Path endedJvmsPart = firstCopy.resolveSibling(LOADED_NAME + "." + endedProcessId() + ".part");
            Files.writeString(endedJvmsPart, "libr");
            Files.delete(firstCopy);

            Path copy = RocksDbNativeLibrary.keptCopy(folder, jar, RESOURCE, LOADED_NAME).orElseThrow();

            assertThat(copy).hasContent("library version 2, a little longer");
            assertThat(copy.getParent()).isNotEqualTo(old.getParent());
            assertThat(old.getParent()).doesNotExist();
            try (Stream<Path> files = Files.list(copy.getParent())) {
                assertThat(files).containsExactly(copy);
            }
        }
    }

    @Test
    void aLibraryOutsideAJarIsLeftToRocksDb() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve(RESOURCE), "library");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            assertThat(RocksDbNativeLibrary.keptCopy(dir.resolve("native"), loader, RESOURCE, LOADED_NAME)).isEmpty();
            assertThat(RocksDbNativeLibrary.keptCopy(dir.resolve("native"), loader, "libnone.so", LOADED_NAME)).isEmpty();
        }
    }

    @Test
    void theRealLibraryIsKeptUnderTheNameRocksDbLoadsFromAFolder() throws IOException {
        String resource = org.rocksdb.util.Environment.getJniLibraryFileName("rocksdb");
        String loadedName = org.rocksdb.util.Environment.getJniLibraryFileName("rocksdbjni");

        Optional<Path> copy = RocksDbNativeLibrary.keptCopy(dir.resolve("native"), org.rocksdb.RocksDB.class.getClassLoader(),
                resource, loadedName);

        assertThat(copy).get().satisfies(path -> {
            assertThat(path).hasFileName(loadedName);
            assertThat(Files.size(path)).isGreaterThan(1_000_000);
        });
    }

    @Test
    void theStateDirectoryIsKafkaStreamsOwn() {
        assertThat(RocksDbNativeLibrary.stateDirectory(Map.of("state.dir", "/var/lib/parley/state")))
                .isEqualTo(Path.of("/var/lib/parley/state"));
        assertThat(RocksDbNativeLibrary.stateDirectory(Map.of()))
                .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams"));
    }

    private static URLClassLoader jarWith(Path jar, String library) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(RESOURCE));
            out.write(library.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }

    /** A process id no live process has: that of a process that has ended. */
    private static long endedProcessId() throws IOException {
        try {
            Process process = new ProcessBuilder("true").start();
            process.waitFor();
            return process.pid();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
