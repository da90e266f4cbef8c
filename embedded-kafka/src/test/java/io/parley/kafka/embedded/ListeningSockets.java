package io.parley.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP sockets this JVM listens on, read from Linux's {@code /proc}: the LISTEN entries of
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} whose inode is one of this process's open
 * file descriptors. What a server says about its own address is not trusted here: the kernel's
 * view is.
 */
public final class ListeningSockets {

    private static final String LISTEN = "0A";
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    /** A listening socket: the address and port it is bound to. */
    public record Listening(InetAddress address, int port) {

        public boolean isLoopback() {
            return address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    private ListeningSockets() {
    }

    /** Whether this machine has the {@code /proc} files read here. */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** The sockets this process listens on now. */
    public static List<Listening> ofThisProcess() {
        Set<String> inodes = socketInodes();
        List<Listening> listening = new ArrayList<>();
        listening.addAll(read(Path.of("/proc/net/tcp"), inodes));
        listening.addAll(read(Path.of("/proc/net/tcp6"), inodes));
        return listening;
    }

    private static Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    Matcher socket = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
                    if (socket.matches()) {
                        inodes.add(socket.group(1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing: not a listener of interest
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list /proc/self/fd", e);
        }
        return inodes;
    }

    /** Lines: {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...}. */
    private static List<Listening> read(Path table, Set<String> inodes) {
        if (!Files.isReadable(table)) {
            return List.of();
        }
        List<Listening> listening = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
                    listening.add(parse(fields[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + table, e);
        }
        return listening;
    }

    /** {@code 0100007F:2382}: the address in 32-bit words of host byte order (little-endian here), the port in hex. */
    private static Listening parse(String localAddress) {
        String[] parts = localAddress.split(":");
        byte[] raw = HexFormat.of().parseHex(parts[0]);
        byte[] address = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = raw[word + 3 - i];
            }
        }
        try {
            return new Listening(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Unexpected address " + localAddress, e);
        }
    }
}
