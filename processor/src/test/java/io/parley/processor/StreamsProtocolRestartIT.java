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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.admin.StreamsGroupMemberDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code membership.protocol: streams} (KIP-1071) with static membership and exactly-once, in a JVM of its own:
 * the processor joins a streams group with its instance id and the group configs from processor.yaml, and after a
 * {@code kill -9} the same instance restarted in place takes its place back and runs again.
 */
class StreamsProtocolRestartIT {

    private static final String APP = "parley-streams-protocol-it";

    @TempDir
    Path dir;

    @Test
    void aStaticMemberOfAStreamsGroupRecoversAfterKillAndRestartInPlace() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            // Given a processor with the streams rebalance protocol, an instance id and exactly-once
            TopicNames names = TopicNames.defaults();
            kafka.createTopics(2, names.chatEvents(), names.backendResponses(), names.backendRequests(), names.notifications(),
                    names.audit(), names.deadLetters(), names.defaultReplies());
            int adminPort = freePort();
            Path config = dir.resolve("processor.yaml");
            Files.writeString(config, """
                    kafka:
                      bootstrap.servers: %s
                      application.id: %s
                      state.dir: %s
                      processing.guarantee: exactly_once_v2
                    schemaRegistry:
                      schema.registry.url: mock://streams-protocol-it
                    flows: [classpath:flows/demo-shop.yaml]
                    admin:
                      port: %d
                    membership:
                      instanceId: parley-0
                      protocol: streams
                    """.formatted(kafka.bootstrapServers(), APP, dir.resolve("state"), adminPort));
            URI ready = URI.create("http://127.0.0.1:" + adminPort + "/health/ready");
            Process first = start(config, dir.resolve("first.log"));
            try (Admin admin = kafka.admin()) {
                awaitReady(ready, dir.resolve("first.log"));

                // Then it is a static member of a streams group that has processor.yaml's session
                StreamsGroupDescription group = describe(admin);
                assertThat(group.members()).hasSize(1);
                assertThat(group.members().iterator().next().instanceId()).hasValueSatisfying(id -> assertThat(id).startsWith("parley-0"));
                Config groupConfig = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.GROUP, APP)))
                        .all().get().get(new ConfigResource(ConfigResource.Type.GROUP, APP));
                assertThat(groupConfig.get("streams.session.timeout.ms").value()).isEqualTo("6000");
                assertThat(groupConfig.get("streams.heartbeat.interval.ms").value()).isEqualTo("2000");

                // When it is killed and restarted in place (same config, same state directory)
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // (as a supervisor would: Kafka 4.4.0's broker may still hold the killed member's instance id and refuse
                // the new one with UnreleasedInstanceIdException; the processor then exits and is started again)
                Process second = startUntilReady(config, ready);
                try {
                    // Then it runs again, and the group holds the same instance once (it took its place back)
                    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        StreamsGroupDescription after = describe(admin);
                        assertThat(after.members()).extracting(StreamsGroupMemberDescription::instanceId)
                                .singleElement().satisfies(id -> assertThat(id).hasValueSatisfying(v -> assertThat(v).startsWith("parley-0")));
                    });
                } finally {
                    second.destroyForcibly();
                    second.waitFor(30, TimeUnit.SECONDS);
                }
            } finally {
                first.destroyForcibly();
            }
        }
    }

    private static StreamsGroupDescription describe(Admin admin) throws Exception {
        return admin.describeStreamsGroups(List.of(APP)).all().get().get(APP);
    }

    private static Process start(Path config, Path log) throws IOException {
        return new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + Path.of("src/test/resources/logback-subprocess.xml").toAbsolutePath(),
                ProcessorMain.class.getName(), "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Starts the processor, and again whenever it exits before it is ready, as Kubernetes restarts a pod that exited. */
    private Process startUntilReady(Path config, URI ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        for (int attempt = 1; ; attempt++) {
            Path log = dir.resolve("second-" + attempt + ".log");
            Process process = start(config, log);
            while (process.isAlive() && System.nanoTime() < deadline) {
                try {
                    if (status(ready) == 200) {
                        return process;
                    }
                } catch (IOException notListeningYet) {
                    // the admin endpoint is not up yet
                }
                Thread.sleep(200);
            }
            if (System.nanoTime() >= deadline) {
                process.destroyForcibly();
                List<String> lines = Files.readAllLines(log);
                throw new AssertionError("the processor was not ready after " + attempt + " start(s); the end of its log:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            Thread.sleep(1_000);
        }
    }

    /** Recovery must happen, however slowly a loaded machine makes it (its speed belongs to bench S6). */
    private static void awaitReady(URI ready, Path log) throws IOException {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> status(ready) == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> lines = Files.readAllLines(log);
            throw new AssertionError("the processor was not ready; the end of its log:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())), e);
        }
    }

    private static int status(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
