package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.parley.kafka.embedded.ListeningSockets;
import io.parley.kafka.embedded.ListeningSockets.Listening;
import io.parley.topics.TopicNames;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode is reachable from this machine only: every socket it listens on — broker,
 * controller, schema registry, demo shop API, the processor's and the worker's admin endpoints,
 * the web chat gateway and its admin port — is bound to loopback, none to every interface.
 */
class LocalModeLoopbackIT {

    @TempDir
    Path temp;

    @Test
    void everyPortLocalModeOpensListensOnLoopbackOnly() throws Exception {
        assumeTrue(ListeningSockets.available(), "needs Linux /proc/net/tcp");
        // Given the sockets this JVM listened on before local mode started
        List<Listening> before = ListeningSockets.ofThisProcess();

        // When local mode starts as ./parley starts it: stack, processor and worker, web chat gateway
        LocalSettings settings = new LocalSettings(temp.resolve(".parley"), false, 1, 0, 0, Duration.ZERO,
                TopicNames.defaults(), "console", "chat.replies.console");
        try (LocalStack stack = LocalStack.start(settings)) {
            LocalParley parley = LocalParley.start(stack, new ServiceSettings(0, 0, false, Map.of()));
            LocalGateway gateway = stack.closeWithStack(LocalGateway.start(stack, 0,
                    parley.adminToken().value().reveal(), URI.create(parley.workerAdminUrl() + "/metrics"),
                    URI.create(parley.processorAdminUrl() + "/flows/graph.svg")));
            List<Listening> opened = new ArrayList<>(ListeningSockets.ofThisProcess());
            opened.removeAll(before);

            // Then the ports it announces are among the sockets it opened, and all of them are on loopback
            assertThat(opened).extracting(Listening::port).contains(
                    port(URI.create("kafka://" + stack.bootstrapServers())),
                    port(URI.create(stack.registryUrl())),
                    port(URI.create(stack.shopApi().baseUrl())),
                    port(URI.create(parley.processorAdminUrl())),
                    port(URI.create(parley.workerAdminUrl())),
                    port(URI.create(gateway.chatUrl())));
            assertThat(opened).as("sockets local mode listens on").allMatch(Listening::isLoopback);
        }
    }

    private static int port(URI uri) {
        return uri.getPort();
    }
}
