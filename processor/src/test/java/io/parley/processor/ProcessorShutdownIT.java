package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.topics.TopicNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley-processor --config processor.yaml} as its own JVM: it runs until SIGTERM, then stops cleanly. */
class ProcessorShutdownIT {

    @TempDir
    Path dir;

    @Test
    void sigtermClosesTheProcessorCleanly() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            TopicNames names = TopicNames.defaults();
            kafka.createTopics(1, names.chatEvents(), names.backendResponses(), names.backendRequests(), names.notifications(),
                    names.audit(), names.deadLetters(), names.defaultReplies());
            int adminPort = freePort();
            Path config = dir.resolve("processor.yaml");
            Files.writeString(config, """
                    kafka:
                      bootstrap.servers: %s
                      application.id: parley-shutdown-it
                      state.dir: %s
                    schemaRegistry:
                      schema.registry.url: mock://shutdown-it
                    flows: [classpath:flows/demo-shop.yaml]
                    admin:
                      port: %d
                    """.formatted(kafka.bootstrapServers(), dir.resolve("state"), adminPort));
            Path log = dir.resolve("processor.log");
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Process process = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Djava.io.tmpdir=" + tmp,
                    "-Dlogback.configurationFile=" + Path.of("src/test/resources/logback-subprocess.xml").toAbsolutePath(),
                    ProcessorMain.class.getName(), "--config", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                URI ready = URI.create("http://127.0.0.1:" + adminPort + "/health/ready");
                Awaitility.await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .until(() -> status(ready) == 200);
                // RocksDB's native library is loaded from the copy kept in the state directory: a killed JVM leaves
                // no copy of 15 MB in the temporary folder, and the next start copies nothing.
                assertThat(files(tmp)).noneMatch(name -> name.contains("rocksdb"));
                assertThat(files(dir.resolve("state/native"))).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .startsWith("rocksdbjni-");

                process.destroy();

                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
                String output = Files.readString(log);
                assertThat(output).contains("Parley processor stopping").contains("Parley processor stopped")
                        .doesNotContain("ERROR");
                // it left its group, so a restarted instance gets the partitions at once, not after
                // the session timeout
                try (Admin admin = kafka.admin()) {
                    assertThat(admin.describeConsumerGroups(List.of("parley-shutdown-it")).all().get()
                            .get("parley-shutdown-it").members()).isEmpty();
                }
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static int status(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
