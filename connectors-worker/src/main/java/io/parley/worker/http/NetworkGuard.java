package io.parley.worker.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Refuses calls to hosts that resolve to loopback, private, link-local (cloud metadata),
 * carrier-grade NAT, unique-local or multicast addresses, unless the connector sets
 * {@code allowPrivateNetworks: true}. The host is resolved at each call (the JVM caches lookups),
 * so a name that starts resolving to an internal address is caught too.
 */
public final class NetworkGuard {

    /** Resolves a host name; replaceable in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final NetworkGuard ALLOW_ALL = new NetworkGuard(true, InetAddress::getAllByName);

    private final boolean allowPrivateNetworks;
    private final Resolver resolver;

    private NetworkGuard(boolean allowPrivateNetworks, Resolver resolver) {
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.resolver = resolver;
    }

    public static NetworkGuard of(boolean allowPrivateNetworks) {
        return allowPrivateNetworks ? ALLOW_ALL : new NetworkGuard(false, InetAddress::getAllByName);
    }

    public static NetworkGuard publicOnly(Resolver resolver) {
        return new NetworkGuard(false, resolver);
    }

    /**
     * Why a call to this URL is refused, or empty when it may go ahead.
     *
     * @throws UnknownHostException when the host does not resolve
     */
    public Optional<String> refusal(URI uri) throws UnknownHostException {
        if (allowPrivateNetworks) {
            return Optional.empty();
        }
        String host = uri.getHost();
        for (InetAddress address : resolver.resolve(host)) {
            if (isInternal(address)) {
                return Optional.of("the host " + host + " resolves to a loopback, private or link-local address ("
                        + address.getHostAddress() + "); set allowPrivateNetworks: true on the connector to allow it");
            }
        }
        return Optional.empty();
    }

    /** Whether an address belongs to a network that is not the public internet. */
    public static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xFF;
            int second = bytes[1] & 0xFF;
            return first == 0                                   // "this network"
                    || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT 100.64.0.0/10
                    || (first == 192 && second == 0 && (bytes[2] & 0xFF) == 0) // IETF protocol assignments
                    || first >= 240;                            // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xFE) == 0xFC;                   // unique local fc00::/7
        }
        return false;
    }
}
