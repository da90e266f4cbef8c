package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container images' entrypoint composes the java command the image runs: the service's main
 * class on /app/libs with the image's JAVA_OPTS and class data sharing under the working directory.
 * Runs it with PARLEY_DRY_RUN=1, which prints the command instead of running it; ImageEntrypointIT
 * runs real JVMs through it.
 */
class ImageEntrypointTest {

    @TempDir
    Path directory;

    private ImageLayout image;
    private Path workingDirectory;

    @BeforeEach
    void layOutTheImage() throws Exception {
        image = ImageLayout.create(directory);
        workingDirectory = Files.createDirectory(directory.resolve("var-lib-parley"));
    }

    @Test
    void theImageRunsItsMainClassWithItsJavaOptionsOnItsLibsWithTheContainersArguments() throws Exception {
        Script.Run run = image.entrypoint().runIn(workingDirectory, imageEnvironment("io.parley.processor.ProcessorMain"),
                "--config", "/etc/parley/config/processor.yaml");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.lines()).startsWith(javaCommand(), "--enable-native-access=ALL-UNNAMED", "-Dlogback.configurationFile=" + image.logging(), "-XX:MaxRAMPercentage=75",
                        "-XX:+ExitOnOutOfMemoryError")
                .endsWith("-cp", image.libs() + "/*", "io.parley.processor.ProcessorMain", "--config", "/etc/parley/config/processor.yaml");
    }

    @Test
    void withoutAnArchiveTheJvmIsToldToWriteOneNamedAfterTheServiceUnderTheWorkingDirectory() throws Exception {
        Script.Run processor = image.entrypoint().runIn(workingDirectory, imageEnvironment("io.parley.processor.ProcessorMain"));
        Script.Run worker = image.entrypoint().runIn(workingDirectory, imageEnvironment("io.parley.worker.WorkerMain"));

        // The same archive names as the tarball's launchers give, so a volume can hold both kinds
        assertThat(processor.option("-Dparley.class-sharing.archive=")).startsWith(workingDirectory.resolve("cds/parley-processor-") + "")
                .endsWith(".jsa");
        assertThat(processor.lines()).contains("-XX:+RecordDynamicDumpInfo");
        assertThat(processor.stderr()).contains("parley-processor: class data sharing: the archive is written a minute after the start "
                + "or at the first clean stop");
        assertThat(processor.option("-XX:DumpLoadedClassList=")).startsWith(workingDirectory.resolve("cds/parley-processor-") + "")
                .endsWith(".loaded");
        assertThat(worker.option("-Dparley.class-sharing.archive=")).startsWith(workingDirectory.resolve("cds/parley-worker-") + "");
    }

    @Test
    void classSharingCanBeTurnedOffOrKeptElsewhere() throws Exception {
        Map<String, String> off = imageEnvironment("io.parley.gateway.GatewayMain");
        off.put("PARLEY_CLASS_SHARING", "off");
        Map<String, String> elsewhere = imageEnvironment("io.parley.gateway.GatewayMain");
        elsewhere.put("PARLEY_CLASS_SHARING_DIR", directory.resolve("archives").toString());

        assertThat(image.entrypoint().runIn(workingDirectory, off).lines())
                .noneMatch(line -> line.contains("Archive") || line.contains("ClassList") || line.contains("class-sharing"));
        assertThat(image.entrypoint().runIn(workingDirectory, elsewhere).option("-Dparley.class-sharing.archive="))
                .startsWith(directory.resolve("archives/parley-gateway-") + "");
    }

    @Test
    void withoutAMainClassTheEntrypointSaysSoInOneLine() throws Exception {
        Map<String, String> environment = imageEnvironment("");

        Script.Run run = image.entrypoint().runIn(workingDirectory, environment);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).startsWith("parley-start: PARLEY_MAIN_CLASS is not set").hasLineCount(1);
    }

    /** What the image's environment holds, and a dry run. */
    private static Map<String, String> imageEnvironment(String mainClass) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PARLEY_DRY_RUN", "1");
        environment.put("PARLEY_MAIN_CLASS", mainClass);
        environment.put("JAVA_OPTS", ImageLayout.IMAGE_JAVA_OPTS);
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        return environment;
    }

    private static String javaCommand() {
        return System.getProperty("java.home") + "/bin/java";
    }
}
