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
 * the processor joins a streams group with its instance id and the group configs from processor.yaml; started again
 * while the group still holds that id (the old process killed, its session not expired), it is refused, starts again
 * in its own JVM instead of exiting, and takes the instance's place once the old session has expired.
 */
class StreamsProtocolRestartIT {

    private static final String APP = "parley-streams-protocol-it";

    @TempDir
    Path dir;

    @Test
    void aStaticMemberRefusedWhileItsOldSessionLastsStartsAgainAndTakesItsPlace() throws Exception {
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
                // (one member per stream thread, each with the instance id and the thread's number)
                StreamsGroupDescription group = describe(admin);
                assertThat(group.members()).extracting(StreamsGroupMemberDescription::processId).containsOnly(
                        group.members().iterator().next().processId());
                assertThat(group.members()).allSatisfy(member ->
                        assertThat(member.instanceId()).hasValueSatisfying(id -> assertThat(id).startsWith("parley-0-")));
                Config groupConfig = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.GROUP, APP)))
                        .all().get().get(new ConfigResource(ConfigResource.Type.GROUP, APP));
                assertThat(groupConfig.get("streams.session.timeout.ms").value()).isEqualTo("6000");
                assertThat(groupConfig.get("streams.heartbeat.interval.ms").value()).isEqualTo("2000");
                assertThat(groupConfig.get("streams.initial.rebalance.delay.ms").value()).isEqualTo("0");

                // When the same instance is started again while the group still holds its id (here: while the first
                // process still runs, as after a kill -9 until the old member's session expires), with its own state
                // directory and admin port, the coordinator refuses it (UnreleasedInstanceIdException)
                int secondPort = freePort();
                Path secondConfig = dir.resolve("processor-again.yaml");
                Files.writeString(secondConfig, Files.readString(config)
                        .replace(dir.resolve("state").toString(), dir.resolve("state-again").toString())
                        .replace("port: " + adminPort, "port: " + secondPort));
                Path secondLog = dir.resolve("second.log");
                Process second = start(secondConfig, secondLog);
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                            .until(() -> Files.readString(secondLog).contains("The group still holds instance id parley-0"));
                    // and the first is then killed
                    first.destroyForcibly();
                    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

                    // Then the refused process does not exit: it starts again in its JVM until the old member's session
                    // has expired, becomes ready, and the group holds that instance once
                    awaitReady(URI.create("http://127.0.0.1:" + secondPort + "/health/ready"), secondLog);
                    assertThat(second.isAlive()).as("the refused processor kept running").isTrue();
                    String firstProcess = group.members().iterator().next().processId();
                    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        StreamsGroupDescription after = describe(admin);
                        assertThat(after.members()).hasSameSizeAs(group.members());
                        assertThat(after.members()).extracting(StreamsGroupMemberDescription::processId)
                                .containsOnly(after.members().iterator().next().processId())
                                .doesNotContain(firstProcess);
                        assertThat(after.members()).allSatisfy(member ->
                                assertThat(member.instanceId()).hasValueSatisfying(id -> assertThat(id).startsWith("parley-0-")));
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
