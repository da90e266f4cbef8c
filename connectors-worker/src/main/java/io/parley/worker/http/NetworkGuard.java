package io.parley.worker.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Refuses calls to hosts that resolve to loopback, private, link-local (cloud metadata),
 * carrier-grade NAT, unique-local or multicast addresses, unless the connector sets
 * {@code allowPrivateNetworks: true}. The host is resolved at each call (the JVM caches lookups),
 * so a name that starts resolving to an internal address is caught too, and the address that was
 * checked is the one the call connects to ({@link Checked#address()}): resolving again when
 * connecting would let a name answer a public address to the check and an internal one to the
 * connection (DNS rebinding).
 */
public final class NetworkGuard {

    /** Resolves a host name; replaceable in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * What the guard decided for a URL: why it is refused, or the address it checked (empty when
     * nothing was checked because private networks are allowed: the client then resolves as usual).
     */
    public record Checked(Optional<String> refusal, Optional<InetAddress> address) {

        static final Checked UNCHECKED = new Checked(Optional.empty(), Optional.empty());

        static Checked refused(String reason) {
            return new Checked(Optional.of(reason), Optional.empty());
        }

        static Checked allowed(InetAddress address) {
            return new Checked(Optional.empty(), Optional.of(address));
        }
    }

    private static final NetworkGuard ALLOW_ALL = new NetworkGuard(true, InetAddress::getAllByName, NetworkGuard::isInternal);

    private final boolean allowPrivateNetworks;
    private final Resolver resolver;
    private final Predicate<InetAddress> refused;

    private NetworkGuard(boolean allowPrivateNetworks, Resolver resolver, Predicate<InetAddress> refused) {
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.resolver = resolver;
        this.refused = refused;
    }

    public static NetworkGuard of(boolean allowPrivateNetworks) {
        return allowPrivateNetworks ? ALLOW_ALL : publicOnly(InetAddress::getAllByName);
    }

    public static NetworkGuard publicOnly(Resolver resolver) {
        return new NetworkGuard(false, resolver, NetworkGuard::isInternal);
    }

    /**
     * A guard that refuses the addresses {@code refused} matches, resolving through {@code resolver}:
     * for tests, which can only reach servers on loopback and still want the checked path.
     */
    public static NetworkGuard refusing(Resolver resolver, Predicate<InetAddress> refused) {
        return new NetworkGuard(false, resolver, refused);
    }

    /** Whether this guard checks addresses (it does unless private networks are allowed). */
    public boolean checks() {
        return !allowPrivateNetworks;
    }

    /**
     * Why a call to this URL is refused, or empty when it may go ahead.
     *
     * @throws UnknownHostException when the host does not resolve
     */
    public Optional<String> refusal(URI uri) throws UnknownHostException {
        return check(uri).refusal();
    }

    /**
     * Resolves the URL's host once and checks every address it has. When allowed, the call must
     * connect to {@link Checked#address()}, never resolve the name again.
     *
     * @throws UnknownHostException when the host does not resolve
     */
    public Checked check(URI uri) throws UnknownHostException {
        if (allowPrivateNetworks) {
            return Checked.UNCHECKED;
        }
        String host = uri.getHost();
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            if (refused.test(address)) {
                return Checked.refused("the host " + host + " resolves to a loopback, private or link-local address ("
                        + address.getHostAddress() + "); set allowPrivateNetworks: true on the connector to allow it");
            }
        }
        return Checked.allowed(addresses[0]);
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
