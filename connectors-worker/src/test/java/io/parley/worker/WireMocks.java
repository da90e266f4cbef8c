package io.parley.worker;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** WireMock servers standing in for third-party HTTP APIs, on 127.0.0.1 only. */
public final class WireMocks {

    private WireMocks() {
    }

    public static WireMockExtension onLoopback() {
        return WireMockExtension.newInstance()
                .options(options().bindAddress("127.0.0.1").dynamicPort())
                .build();
    }
}
