package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.ops.ProcessorStartupException;
import io.parley.topics.TopicNames;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order in which {@link ProcessorAssembler} builds a processor, where an operator or an orchestrator sees it. */
class ProcessorAssemblyIT {

    private static EmbeddedKafkaCluster kafka;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aFailedStartUpCheckComesBeforeTheAdminEndpointAndTheStreamsAndLeavesNothingRunning() throws Exception {
        // Given topics that do not exist and a fixed admin port
        TopicNames names = TopicNames.fromMap(Map.of("chatEvents", "asm.missing.chat.events",
                "backendResponses", "asm.missing.backend.responses"));
        int adminPort = freePort();

        // When the processor starts
        assertThatThrownBy(() -> ParleyProcessor.start(config("parley-assembly-missing", names, adminPort)))
                .isInstanceOf(ProcessorStartupException.class)
                .hasMessageContaining("asm.missing.chat.events");

        // Then no admin endpoint was left listening and no stream thread was started
        try (ServerSocket port = new ServerSocket(adminPort)) {
            assertThat(port.getLocalPort()).isEqualTo(adminPort);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("parley-assembly-missing"));
    }

    @Test
    void theAdminEndpointAnswersOnceStartedButIsReadyOnlyWhileTheStreamsRunAndStopsWithThem() throws Exception {
        // Given the topics a processor reads and writes
        TopicNames names = TopicNames.fromMap(Map.of("chatEvents", "asm.chat.events", "backendResponses", "asm.backend.responses",
                "backendRequests", "asm.backend.requests", "notifications", "asm.notifications", "audit", "asm.audit",
                "deadLetters", "asm.dead.letters", "defaultReplies", "asm.replies"));
        kafka.createTopics(1, "asm.chat.events", "asm.backend.responses", "asm.backend.requests", "asm.notifications",
                "asm.audit", "asm.dead.letters", "asm.replies");

        // When the processor starts
        LogCapture log = LogCapture.atInfo(ParleyProcessor.class.getName());
        ParleyProcessor processor = ParleyProcessor.start(config("parley-assembly", names, 0));
        try {
            URI ready = URI.create(processor.adminUrl() + "/health/ready");
            int firstAnswer = status(ready);
            KafkaStreams.State afterFirstAnswer = processor.state();

            // Then the admin endpoint answers at once, not ready while the streams are not running yet
            if (afterFirstAnswer != KafkaStreams.State.RUNNING) {
                assertThat(firstAnswer).as("readiness while the streams are " + afterFirstAnswer).isEqualTo(503);
            }
            assertThat(status(URI.create(processor.adminUrl() + "/health/live"))).isEqualTo(200);
            // and ready once they run
            assertThat(processor.awaitRunning(Duration.ofSeconds(60))).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> status(ready) == 200);

            // And its log has one line per start step, in the order of the start, ending with RUNNING
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.messages().stream()
                    .filter(m -> m.startsWith("Start step '"))
                    .map(m -> m.substring("Start step '".length(), m.indexOf("' took ")))
                    .filter(step -> !step.startsWith("assignment received")).toList())
                    .containsExactly("flows loaded", "topics checked", "connector catalog and rules checked", "topology built",
                            "Kafka Streams created", "admin endpoint started", "Kafka Streams started",
                            "running (0 records restored)"));
        } finally {
            processor.close();
            log.close();
        }

        // And the close stops the streams and the admin endpoint; a second close is harmless
        assertThat(processor.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        assertThat(processor.awaitTermination()).isTrue();
        URI live = URI.create(processor.adminUrl() + "/health/live");
        assertThatThrownBy(() -> status(live)).isInstanceOf(ConnectException.class);
        processor.close();
    }

    private ProcessorConfig config(String applicationId, TopicNames names, int adminPort) {
        return ProcessorConfig.builder()
                .kafka("bootstrap.servers", kafka.bootstrapServers())
                .kafka("application.id", applicationId)
                .kafka("state.dir", stateDir.toString())
                .schemaRegistry("schema.registry.url", "mock://" + applicationId)
                .topics(names)
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")))
                .adminPort(adminPort)
                .build();
    }

    private int status(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
