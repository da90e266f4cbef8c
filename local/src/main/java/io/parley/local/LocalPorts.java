package io.parley.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports of local mode's admin endpoints. They have fixed defaults so bookmarks and scrape configs
 * keep working from run to run, but an admin endpoint is not worth failing a start for: when its
 * port is taken (a second local mode, docker-compose's processor), a free one is used instead and
 * the banner prints it.
 */
final class LocalPorts {

    private static final String LOOPBACK = "127.0.0.1";

    private LocalPorts() {
    }

    /**
     * {@code preferred} when it can be bound on 127.0.0.1 right now, else {@code 0} (any free
     * port). Another process can still take it before the server binds; the server's own bind
     * error then says so.
     */
    static int preferredOrFree(int preferred) {
        if (preferred == 0) {
            return 0;
        }
        try (ServerSocket probe = new ServerSocket(preferred, 1, InetAddress.getByName(LOOPBACK))) {
            return probe.getLocalPort();
        } catch (IOException taken) {
            return 0;
        }
    }

    static String host() {
        return LOOPBACK;
    }
}
