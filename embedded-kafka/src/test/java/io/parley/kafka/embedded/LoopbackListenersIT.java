package io.parley.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.parley.kafka.embedded.ListeningSockets.Listening;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded cluster is reachable from this machine only: its broker and controller listen on
 * loopback, not on every interface, on a first start and on a start from kept data.
 */
class LoopbackListenersIT {

    @TempDir
    Path temp;

    @Test
    void brokerAndControllerListenOnLoopbackOnly() {
        assumeTrue(ListeningSockets.available(), "needs Linux /proc/net/tcp");
        // Given the sockets this JVM listened on before
        List<Listening> before = ListeningSockets.ofThisProcess();

        // When a cluster starts
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            List<Listening> opened = openedSince(before);

            // Then it listens on two ports (broker, controller), the bootstrap port among them, both on loopback
            assertThat(opened).extracting(Listening::port).contains(port(kafka.bootstrapServers()));
            assertThat(opened.stream().map(Listening::port).distinct()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(opened).as("sockets the cluster listens on").allMatch(Listening::isLoopback);
        }
    }

    @Test
    void aClusterStartedAgainOnItsKeptDataListensOnLoopbackOnly() {
        assumeTrue(ListeningSockets.available(), "needs Linux /proc/net/tcp");
        // Given a cluster that ran once on a kept data folder
        Path data = temp.resolve("kafka");
        EmbeddedKafkaCluster.builder().dataDirectory(data).start().close();
        List<Listening> before = ListeningSockets.ofThisProcess();

        // When it starts again on that data
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().dataDirectory(data).start()) {
            List<Listening> opened = openedSince(before);

            // Then it too listens on loopback only
            assertThat(opened).extracting(Listening::port).contains(port(kafka.bootstrapServers()));
            assertThat(opened).as("sockets the cluster listens on").allMatch(Listening::isLoopback);
        }
    }

    private static List<Listening> openedSince(List<Listening> before) {
        List<Listening> opened = new ArrayList<>(ListeningSockets.ofThisProcess());
        opened.removeAll(before);
        return opened;
    }

    private static int port(String bootstrapServers) {
        return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    }
}
