package io.parley.runtime.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.URI;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TracingSettingsTest {

    private static JsonNode yaml(String text) throws Exception {
        return new YAMLMapper().readTree(text).path("tracing");
    }

    private static TracingSettings read(String text) throws Exception {
        return TracingSettings.read("worker.yaml", "tracing", yaml(text), "parley-worker");
    }

    @Test
    void aMissingSectionIsTracingOffWithDefaults() throws Exception {
        TracingSettings settings = read("other: 1\n");

        assertThat(settings).isEqualTo(new TracingSettings(false, URI.create("http://127.0.0.1:4318"), 1.0, "parley-worker"));
    }

    @Test
    void readsEveryKey() throws Exception {
        TracingSettings settings = read("""
                tracing:
                  enabled: true
                  otlpEndpoint: https://tempo.example.org:4318/
                  sampleRatio: 0.25
                  serviceName: shop-worker
                """);

        assertThat(settings).isEqualTo(new TracingSettings(true, URI.create("https://tempo.example.org:4318"), 0.25, "shop-worker"));
    }

    @Test
    void aRatioOutOfRangeNamesFileEntryAndField() {
        assertThatThrownBy(() -> read("tracing: {sampleRatio: 1.5}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("worker.yaml: tracing.sampleRatio: 1.5 is out of range; allowed are 0.0 to 1.0");
        assertThatThrownBy(() -> read("tracing: {sampleRatio: half}"))
                .hasMessage("worker.yaml: tracing.sampleRatio: 'half' is not a number");
    }

    @Test
    void badValuesOfTheOtherKeysAreRefused() {
        assertThatThrownBy(() -> read("tracing: {enabled: yes please}"))
                .hasMessage("worker.yaml: tracing.enabled: 'yes please' is not true or false");
        assertThatThrownBy(() -> read("tracing: {serviceName: 'my service'}"))
                .hasMessageStartingWith("worker.yaml: tracing.serviceName: 'my service' is not a service name");
        assertThatThrownBy(() -> read("tracing: {sampleRatio: 1.0, enable: true}"))
                .hasMessageStartingWith("worker.yaml: tracing.enable: unknown key; known keys here are [enabled,");
        assertThatThrownBy(() -> read("tracing: true"))
                .hasMessage("worker.yaml: tracing: must be a mapping of keys to values");
    }

    @Test
    void anEndpointThatIsNoPlainHttpUrlIsRefusedWithoutEchoingIt() {
        for (String bad : new String[] {"127.0.0.1:4318", "ftp://collector:4318", "http://user:s3cret@collector:4318",
                "http://collector:4318?token=s3cret"}) {
            assertThatThrownBy(() -> read("tracing: {otlpEndpoint: '" + bad + "'}"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("worker.yaml: tracing.otlpEndpoint: is not an http(s) URL")
                    .hasMessageNotContaining("s3cret");
        }
    }
}
