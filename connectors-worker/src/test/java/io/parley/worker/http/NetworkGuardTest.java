package io.parley.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkGuardTest {

    @ParameterizedTest(name = "{0} is internal")
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "0.0.0.0", "fc00::1", "fd12:3456::1", "fe80::1", "224.0.0.1", "::ffff:127.0.0.1", "255.255.255.255"})
    void internalAddressesAreRefused(String address) throws Exception {
        NetworkGuard guard = NetworkGuard.publicOnly(host -> new InetAddress[] {InetAddress.getByName(address)});

        assertThat(guard.refusal(URI.create("https://api.example/orders"))).hasValueSatisfying(reason ->
                assertThat(reason).contains("api.example").contains("allowPrivateNetworks"));
    }

    @ParameterizedTest(name = "{0} is public")
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "2606:4700::1111", "100.128.0.1", "172.32.0.1"})
    void publicAddressesAreAllowed(String address) throws Exception {
        NetworkGuard guard = NetworkGuard.publicOnly(host -> new InetAddress[] {InetAddress.getByName(address)});

        assertThat(guard.refusal(URI.create("https://api.example/orders"))).isEmpty();
    }

    @ParameterizedTest(name = "a host with a public and an internal address ({0}) is refused")
    @ValueSource(strings = {"10.0.0.1", "127.0.0.1"})
    void oneInternalAddressAmongSeveralIsEnoughToRefuse(String internal) throws Exception {
        NetworkGuard guard = NetworkGuard.publicOnly(host -> new InetAddress[] {
                InetAddress.getByName("93.184.216.34"), InetAddress.getByName(internal)});

        assertThat(guard.refusal(URI.create("https://api.example/orders"))).isPresent();
    }

    @ParameterizedTest(name = "allowed: {0}")
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://localhost"})
    void privateNetworksCanBeAllowed(String url) throws Exception {
        assertThat(NetworkGuard.of(true).refusal(URI.create(url))).isEmpty();
    }
}
