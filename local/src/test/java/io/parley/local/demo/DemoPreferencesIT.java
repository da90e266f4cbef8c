package io.parley.local.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.Connectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo preferences on a real {@code redis-server} (Debian's package, which .ci/run installs):
 * the {@code shop-prefs} connector local mode builds stores and reads a favourite colour, with a
 * password only the data folder's owner can read; without the binary nothing is offered.
 */
class DemoPreferencesIT {

    @TempDir
    Path dir;

    private static BackendResponse call(Connectors connectors, String operation, Map<String, String> params) {
        Instant now = Instant.now();
        return connectors.call(BackendRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString()).setConversationId("c-1").setUserId(params.get("customerId"))
                .setEventId("e-1").setConnector("shop-prefs").setOperation(operation).setParams(params)
                .setDeadline(now.plusSeconds(10)).setCreatedAt(now).build());
    }

    @Test
    void withRedisInstalledTheConnectorSavesAndReadsAFavouriteColour() throws Exception {
        assumeThat(Files.isExecutable(DemoPreferences.DEFAULT_BINARY)).as("redis-server is installed").isTrue();
        // Given the preferences started as local mode starts them
        try (DemoPreferences preferences = DemoPreferences.start(DemoPreferences.DEFAULT_BINARY, dir.resolve("redis"))) {
            assertThat(preferences.offered()).isTrue();
            assertThat(preferences.status()).isEqualTo("redis://127.0.0.1:" + preferences.port());
            assertThat(preferences.flows()).containsExactly(DemoPreferences.FLOWS);
            String yaml = preferences.connectorYaml().orElseThrow();
            String password = Files.readString(preferences.passwordFile()).strip();
            // The password stays in its owner-only file; the connector file only refers to it
            assertThat(yaml).doesNotContain(password).contains("${directory:");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(preferences.passwordFile()))).isEqualTo("rw-------");

            try (Connectors connectors = Connectors.builder().yaml(DemoPreferences.CONNECTORS, yaml).build()) {
                // When a colour is saved for alice and read back for alice and for bob
                BackendResponse saved = call(connectors, "setFavouriteColour", Map.of("customerId", "alice", "colour", "blue"));
                BackendResponse read = call(connectors, "getFavouriteColour", Map.of("customerId", "alice"));
                BackendResponse other = call(connectors, "getFavouriteColour", Map.of("customerId", "bob"));

                // Then alice's colour comes back, and bob has none
                assertThat(saved.getStatus()).isEqualTo(BackendStatus.OK);
                assertThat(read.getStatus()).isEqualTo(BackendStatus.OK);
                assertThat(read.getResult()).isEqualTo("{\"value\":\"blue\"}");
                assertThat(other.getStatus()).isEqualTo(BackendStatus.NOT_FOUND);
            }
        }
    }

    @Test
    void withoutTheBinaryNothingIsOfferedAndTheReasonIsGiven() throws Exception {
        // Given a redis-server path where there is none
        Path missing = dir.resolve("bin/redis-server");

        // When the preferences start
        try (DemoPreferences preferences = DemoPreferences.start(missing, dir.resolve("redis"))) {

            // Then they are not offered, say why, and add no flow and no connector
            assertThat(preferences.offered()).isFalse();
            assertThat(preferences.status()).isEqualTo("not offered: " + missing
                    + " is not installed (Debian: apt-get install redis-server)");
            assertThat(preferences.flows()).isEmpty();
            assertThat(preferences.connectorYaml()).isEmpty();
        }
    }
}
