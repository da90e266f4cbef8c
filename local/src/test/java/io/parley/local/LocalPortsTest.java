package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LocalPortsTest {

    @Test
    void aFreePreferredPortIsKept() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            free = probe.getLocalPort();
        }

        assertThat(LocalPorts.preferredOrFree(free)).isEqualTo(free);
    }

    @Test
    void aTakenPreferredPortFallsBackToAnyFreeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {

            assertThat(LocalPorts.preferredOrFree(taken.getLocalPort())).isZero();
        }
    }

    @Test
    void zeroMeansAnyFreePort() {
        assertThat(LocalPorts.preferredOrFree(0)).isZero();
    }
}
