package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container images' entrypoint with real JVMs, as a container runs it (without a container,
 * which this build cannot run): the image's /app rebuilt from the same scripts and the release's
 * jars, the working directory standing in for /var/lib/parley. A service that stops cleanly leaves
 * the classes it loaded in an archive, and its next start maps it.
 */
class ImageEntrypointIT {

    private static final Path TARBALL = Path.of(System.getProperty("parley.distribution.tarball", "target/parley.tar.gz"));

    @TempDir
    static Path directory;

    private static ImageLayout image;

    @BeforeAll
    static void layOutTheImageWithTheReleasesJars() throws Exception {
        Path home = UnpackedParley.unpack(TARBALL, directory);
        image = ImageLayout.create(directory);
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            for (Path jar : jars.toList()) {
                Files.createLink(image.libs().resolve(jar.getFileName()), jar);
            }
        }
    }

    @Test
    void aServiceThatStoppedCleanlyLeftAnArchiveThatItsNextStartMaps() throws Exception {
        // Given a container's working directory without archives
        Path workingDirectory = Files.createDirectory(directory.resolve("var-lib-parley"));
        Path archives = workingDirectory.resolve("cds");

        // When the processor image starts and stops by itself (a configuration file that is not
        // there: one line, exit code 2, a clean JVM exit)
        Script.Run first = image.entrypoint().runIn(workingDirectory, imageEnvironment(ImageLayout.IMAGE_JAVA_OPTS),
                "--config", "missing.yaml");

        // Then its JVM wrote the classes it loaded into a part file under cds/ (and the list of them
        // it kept for an archive it would have written had it run a minute)
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isEqualTo(2);
        assertThat(first.stdout() + first.stderr()).contains("missing.yaml");
        assertThat(first.stderr()).contains("parley-processor: class data sharing: the archive is written a minute after the start "
                + "or at the first clean stop (" + archives.resolve("parley-processor-"));
        assertThat(names(archives)).hasSize(2).allMatch(name -> name.startsWith("parley-processor-"))
                .anyMatch(name -> name.endsWith(".part")).anyMatch(name -> name.endsWith(".loaded"));

        // When it starts again, its JVM told to fail rather than start without the archive
        Script.Run second = image.entrypoint().runIn(workingDirectory, imageEnvironment(ImageLayout.IMAGE_JAVA_OPTS + " -Xshare:on"),
                "--config", "missing.yaml");

        // Then the entrypoint made the part file the archive (deleting the ended JVM's list) and the JVM mapped it
        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isEqualTo(2);
        assertThat(second.stderr()).contains("parley-processor: class data sharing from " + archives.resolve("parley-processor-"));
        assertThat(names(archives)).singleElement().satisfies(name -> assertThat(name).startsWith("parley-processor-").endsWith(".jsa"));
    }

    private static Map<String, String> imageEnvironment(String javaOpts) {
        return Map.of("PARLEY_MAIN_CLASS", "io.parley.processor.ProcessorMain", "JAVA_OPTS", javaOpts,
                "JAVA_HOME", System.getProperty("java.home"));
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
