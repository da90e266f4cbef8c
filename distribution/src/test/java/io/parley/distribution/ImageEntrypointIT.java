package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.topics.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container images' entrypoint with real JVMs, as a container runs it (without a container,
 * which this build cannot run): the image's /app rebuilt from the same scripts and the release's
 * jars, the working directory standing in for /var/lib/parley, and a real service (the MCP server,
 * the lightest) on a real broker. A service that ran and stopped cleanly leaves the classes it loaded
 * in an archive, and its next start maps it; one that ended on a configuration error leaves none.
 */
class ImageEntrypointIT {

    private static final Path TARBALL = Path.of(System.getProperty("parley.distribution.tarball", "target/parley.tar.gz"));
    private static final String MCP_MAIN = "io.parley.mcp.McpMain";
    private static final Pattern LISTENING = Pattern.compile("MCP server listening on 127\\.0\\.0\\.1:(\\d+)/mcp");

    @TempDir
    static Path directory;

    private static ImageLayout image;
    private static EmbeddedKafkaCluster kafka;
    private static EmbeddedSchemaRegistry registry;
    private static Path home;

    @BeforeAll
    static void layOutTheImageWithTheReleasesJarsAndStartABroker() throws Exception {
        home = UnpackedParley.unpack(TARBALL, directory);
        image = ImageLayout.create(directory);
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            for (Path jar : jars.toList()) {
                Files.createLink(image.libs().resolve(jar.getFileName()), jar);
            }
        }
        kafka = EmbeddedKafkaCluster.start();
        registry = EmbeddedSchemaRegistry.start();
        kafka.createTopics(1, List.copyOf(TopicNames.defaults().asMap().values()));
    }

    @AfterAll
    static void stopTheBroker() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aServiceThatRanAndStoppedCleanlyLeftAnArchiveThatItsNextStartMaps() throws Exception {
        // Given a container's working directory without archives, and the MCP server's configuration
        Path workingDirectory = Files.createDirectory(directory.resolve("var-lib-parley"));
        Path archives = workingDirectory.resolve("cds");
        // (port 0: it listens on a free port and says which, so that no other process can take the port first)
        Path config = mcpConfiguration(workingDirectory, 0);

        // When its image starts, serves, and is stopped as a container is (SIGTERM to the JVM, process 1 there)
        UnpackedParley.Service first = startAndAwaitReady(workingDirectory, ImageLayout.IMAGE_JAVA_OPTS, config, "first.log");
        assertThat(first.output()).contains("parley-mcp: class data sharing: the archive is written a minute after the start "
                + "or at the first clean stop (" + archives.resolve("parley-mcp-"));
        stop(first);

        // Then, after closing, its JVM wrote the classes it loaded into the archive, and nothing else is left there
        assertThat(first.output()).contains("Class data sharing: wrote " + archives.resolve("parley-mcp-")).contains("at the clean stop");
        // (logged as the tarball's services log: Logback's own default would be every library at DEBUG)
        assertThat(first.output()).contains("INFO  [parley-mcp-shutdown] i.parley.runtime.ClassArchiveWriter - ")
                .doesNotContain(" DEBUG ");
        assertThat(names(archives)).singleElement().satisfies(name -> assertThat(name).startsWith("parley-mcp-").endsWith(".jsa"));

        // When it starts again, its JVM told to fail rather than start without the archive
        UnpackedParley.Service second = startAndAwaitReady(workingDirectory, ImageLayout.IMAGE_JAVA_OPTS + " -Xshare:on", config,
                "second.log");
        stop(second);

        // Then the JVM mapped it, and its own clean stop did not dump again
        assertThat(second.output()).contains("parley-mcp: class data sharing from " + archives.resolve("parley-mcp-"))
                .doesNotContain("Class data sharing: wrote");
        assertThat(names(archives)).singleElement().satisfies(name -> assertThat(name).startsWith("parley-mcp-").endsWith(".jsa"));
    }

    @Test
    void onTheImagesJava25AServiceTrainsAndItsNextStartAssemblesTheAotCacheAndMapsIt() throws Exception {
        // Given Java 25, as the images run it, and a container's working directory without cache
        Optional<Path> java25 = JavaHomes.atLeast(25);
        assumeTrue(java25.isPresent(), "no Java 25 or later under " + JavaHomes.FOLDER);
        Path workingDirectory = Files.createDirectory(directory.resolve("var-lib-parley-java25"));
        Path caches = workingDirectory.resolve("cds");
        Path config = mcpConfiguration(workingDirectory, 0);

        // When its image starts, serves, and is stopped as a container is: it trained
        UnpackedParley.Service first = startAndAwaitReady(workingDirectory, ImageLayout.IMAGE_JAVA_OPTS, config, "java25-first.log",
                java25.get());
        assertThat(first.output()).contains("parley-mcp: class data sharing: this run trains for the AOT cache");
        stop(first);

        // Then its next start assembles the cache and its JVM maps it (told to fail rather than start without it)
        UnpackedParley.Service second = startAndAwaitReady(workingDirectory, ImageLayout.IMAGE_JAVA_OPTS + " -XX:AOTMode=on", config,
                "java25-second.log", java25.get());
        stop(second);
        assertThat(second.output()).contains("parley-mcp: class data sharing from the AOT cache " + caches.resolve("parley-mcp-"))
                .doesNotContain("A restricted method");
        assertThat(names(caches)).singleElement().satisfies(name -> assertThat(name).startsWith("parley-mcp-").endsWith(".aot"));
    }

    @Test
    void theDemoShopApisImageWritesItsArchiveAtItsCleanStopToo() throws Exception {
        // Given the demo shop API's image (compose's shop-api), started without archives on a free port
        Path workingDirectory = Files.createDirectory(directory.resolve("var-lib-parley-shop"));
        Path log = workingDirectory.resolve("shop-api.log");
        Process shopApi = image.entrypoint().start(workingDirectory,
                imageEnvironment("io.parley.local.demo.ShopApiMain", ImageLayout.IMAGE_JAVA_OPTS), log, "--port", "0");
        try {
            UnpackedParley.awaitOutput("the shop API", shopApi, log, Pattern.compile("Demo shop API listening on"), Duration.ofSeconds(60));

            // When it is stopped as a container is
            shopApi.destroy();
            assertThat(shopApi.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        } finally {
            shopApi.destroyForcibly();
        }

        // Then its archive is there
        assertThat(names(workingDirectory.resolve("cds"))).singleElement()
                .satisfies(name -> assertThat(name).startsWith("parley-shopapi-").endsWith(".jsa"));
    }

    @Test
    void aServiceThatEndedOnAConfigurationErrorLeftNoArchive() throws Exception {
        // Given a container's working directory without archives
        Path workingDirectory = Files.createDirectory(directory.resolve("var-lib-parley-misconfigured"));
        Path archives = workingDirectory.resolve("cds");

        // When the processor image starts with a configuration file that is not there (one line, exit code 2)
        Script.Run run = image.entrypoint().runIn(workingDirectory, imageEnvironment("io.parley.processor.ProcessorMain",
                ImageLayout.IMAGE_JAVA_OPTS), "--config", "missing.yaml");

        // Then no archive is written: one made of the few classes a failed start loads would serve every later start
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(2);
        assertThat(run.stdout() + run.stderr()).contains("missing.yaml");
        assertThat(names(archives)).noneMatch(name -> name.endsWith(".jsa"));

        // and the next start tidies what the ended JVM left (the list of the classes it loaded), taking it for a run
        // that did not stop cleanly (it goes without recording for a dump at its stop, which slows a start)
        Script.Run next = image.entrypoint().runIn(workingDirectory, imageEnvironment("io.parley.processor.ProcessorMain",
                ImageLayout.IMAGE_JAVA_OPTS), "--config", "missing.yaml");
        assertThat(next.stderr()).contains("the last run ended without a clean stop");
        assertThat(names(archives)).hasSize(1).allMatch(name -> name.endsWith(".loaded"));
    }

    private UnpackedParley.Service startAndAwaitReady(Path workingDirectory, String javaOpts, Path config, String logName)
            throws Exception {
        return startAndAwaitReady(workingDirectory, javaOpts, config, logName, Path.of(System.getProperty("java.home")));
    }

    private UnpackedParley.Service startAndAwaitReady(Path workingDirectory, String javaOpts, Path config, String logName,
                                                      Path javaHome) throws Exception {
        Path log = workingDirectory.resolve(logName);
        Map<String, String> environment = new HashMap<>(imageEnvironment(MCP_MAIN, javaOpts));
        environment.put("JAVA_HOME", javaHome.toString());
        environment.put("PARLEY_MCP_TOKEN", "image-entrypoint-it-token");
        Process process = image.entrypoint().start(workingDirectory, environment, log, "--config", config.toString());
        try {
            int port = Integer.parseInt(UnpackedParley.awaitOutput("parley-mcp", process, log, LISTENING, Duration.ofSeconds(60)).group(1));
            UnpackedParley.Service service = new UnpackedParley.Service("parley-mcp", process, port, log);
            service.awaitReady(Duration.ofSeconds(30));
            return service;
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** SIGTERM, as a container runtime sends to process 1; the JVM's exit code for it is 143. */
    private static void stop(UnpackedParley.Service service) throws InterruptedException {
        service.process().destroy();
        if (!service.process().waitFor(60, TimeUnit.SECONDS)) {
            service.process().destroyForcibly();
            throw new AssertionError("parley-mcp did not stop within 60 s:\n" + service.output());
        }
        assertThat(service.process().exitValue()).as(service.output()).isEqualTo(143);
    }

    private static Path mcpConfiguration(Path workingDirectory, int port) throws Exception {
        Path conf = Files.createDirectory(workingDirectory.resolve("config"));
        Files.copy(home.resolve("conf/connectors.yaml"), conf.resolve("connectors.yaml"));
        return UnpackedParley.mcpConfiguration(home, conf, kafka.bootstrapServers(), registry.url(), port);
    }

    private static Map<String, String> imageEnvironment(String mainClass, String javaOpts) {
        return Map.of("PARLEY_MAIN_CLASS", mainClass, "JAVA_OPTS", javaOpts, "JAVA_HOME", System.getProperty("java.home"));
    }

    private static List<String> names(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
