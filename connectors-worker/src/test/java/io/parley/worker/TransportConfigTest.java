package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.ParsedConnector;
import io.parley.worker.http.HttpConnectorDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad tls: and proxy: sections stop the start with one line naming the file, the entry and the field. */
class TransportConfigTest {

    private final ConfigVariables variables = ConfigVariables.withStandardProviders();

    @TempDir
    Path dir;

    private Path secrets;
    private Path caFile;

    @BeforeEach
    void files() throws Exception {
        secrets = Files.writeString(dir.resolve("secrets.properties"), "storePassword=store-pass\nproxyPassword=pp-123\n");
        caFile = TestPki.ca("Config Test CA").writeCertificate(dir.resolve("ca.pem"));
    }

    @AfterEach
    void close() {
        variables.close();
    }

    private List<ParsedConnector<?>> read(String section) {
        return ConnectorFiles.read(List.of(YamlFiles.parse("shop.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: https://shop.example/api
                %s
                    operations:
                      getOrder: {path: "/orders/{orderId}"}
                """.formatted(section.replace("DIR", dir.toString()).replace("SECRETS", secrets.toString())
                .indent(4).stripTrailing()))), variables);
    }

    private void refused(String section, String where, String message) {
        assertThatThrownBy(() -> read(section))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("shop.yaml: connectors[shop-api]." + where + ": ")
                .hasMessageContaining(message)
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain("\n"));
    }

    @Test
    void completeTlsAndProxySectionsAreRead() {
        List<ParsedConnector<?>> connectors = read("""
                tls: {caFile: "%s", minVersion: TLSv1.3}
                proxy: {url: "http://proxy.corp:3128", username: parley, password: "${file:SECRETS:proxyPassword}",
                        nonProxyHosts: [internal.corp, "*.svc.cluster.local"]}
                """.formatted(caFile));

        HttpConnectorDefinition http = (HttpConnectorDefinition) connectors.get(0).definition();
        assertThat(http.endpoint().tls().minVersion()).isEqualTo("TLSv1.3");
        assertThat(http.endpoint().proxy()).hasValueSatisfying(proxy -> {
            assertThat(proxy.host()).isEqualTo("proxy.corp");
            assertThat(proxy.port()).isEqualTo(3128);
            assertThat(proxy.proxies("api.saas.example")).isTrue();
            assertThat(proxy.proxies("internal.corp")).isFalse();
            assertThat(proxy.proxies("orders.shop.svc.cluster.local")).isFalse();
            assertThat(proxy.toString()).doesNotContain("pp-123").doesNotContain("parley");
        });
    }

    @Test
    void aMissingCaFileIsNamed() {
        refused("tls: {caFile: DIR/missing.pem}", "tls.caFile", "the file " + dir + "/missing.pem does not exist");
    }

    @Test
    void aFileThatIsNotPemIsNamed() throws Exception {
        Files.writeString(dir.resolve("junk.pem"), "this is not a certificate");
        refused("tls: {caFile: DIR/junk.pem}", "tls.caFile", "does not hold PEM certificates");
    }

    @Test
    void anUnknownTlsVersionIsNamed() {
        refused("tls: {minVersion: TLSv1.1}", "tls.minVersion", "'TLSv1.1' is not one of [TLSv1.2, TLSv1.3]");
    }

    @Test
    void hostNameVerificationCannotBeSwitchedOff() {
        refused("tls: {verifyHostname: false}", "tls.verifyHostname", "unknown key");
    }

    @Test
    void aClientCertificateNeedsItsKey() throws Exception {
        Path cert = TestPki.ca("Config Test CA").client("c").writeCertificate(dir.resolve("client.pem"));
        refused("tls: {clientCert: \"" + cert + "\"}", "tls.clientKey", "is required with clientCert");
    }

    @Test
    void aKeyInAnUnsupportedFormatIsNamedWithoutShowingIt() throws Exception {
        TestPki.Issued client = TestPki.ca("Config Test CA").client("c");
        Path cert = client.writeCertificate(dir.resolve("client.pem"));
        Files.writeString(dir.resolve("client-key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nTUlJRXBBSUJBQUtDQVFFQTNz\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> read("tls: {clientCert: \"" + cert + "\", clientKey: DIR/client-key.pem}"))
                .hasMessageStartingWith("shop.yaml: connectors[shop-api].tls.clientKey: ")
                .hasMessageContaining("'RSA PRIVATE KEY' is not supported")
                .hasMessageNotContaining("TUlJRXBBSUJBQUtDQVFFQTNz");
    }

    @Test
    void aKeyStoreWithTheWrongPasswordIsNamedWithoutThePassword() throws Exception {
        Path store = TestPki.ca("Config Test CA").client("c").writeKeyStore(dir.resolve("client.p12"), "another-pass");
        assertThatThrownBy(() -> read("tls: {keyStore: \"" + store + "\", keyStorePassword: \"${file:SECRETS:storePassword}\"}"))
                .hasMessageStartingWith("shop.yaml: connectors[shop-api].tls.keyStore: ")
                .hasMessageContaining("cannot be read: a wrong password")
                .hasMessageNotContaining("store-pass");
    }

    @Test
    void aStorePasswordWrittenInTheFileIsRefused() throws Exception {
        Path store = TestPki.ca("Config Test CA").client("c").writeKeyStore(dir.resolve("client.p12"), "store-pass");
        assertThatThrownBy(() -> read("tls: {keyStore: \"" + store + "\", keyStorePassword: store-pass}"))
                .hasMessageStartingWith("shop.yaml: connectors[shop-api].tls.keyStorePassword: ")
                .hasMessageContaining("must come from a config provider")
                .hasMessageNotContaining("store-pass");
    }

    @Test
    void aRedisTlsSectionNeedsARedissUrl() {
        assertThatThrownBy(() -> ConnectorFiles.read(List.of(YamlFiles.parse("shop.yaml", """
                connectors:
                  - name: prefs
                    type: redis
                    url: redis://cache:6379/0
                    tls: {caFile: "%s"}
                    operations:
                      getColour: {command: get, key: "colour:{userId}"}
                """.formatted(caFile))), variables))
                .isInstanceOf(ConfigException.class)
                .hasMessage("shop.yaml: connectors[prefs].tls: is only used with a rediss:// URL (TLS)");
    }

    @Test
    void aProxyMustBeAnHttpHostAndPort() {
        refused("proxy: {url: \"https://proxy.corp:3128\"}", "proxy.url", "must be http://host:port");
        refused("proxy: {url: \"http://proxy.corp:3128/path\"}", "proxy.url", "without a path");
    }

    @Test
    void proxyCredentialsInTheUrlAreRefusedWithoutBeingShown() {
        assertThatThrownBy(() -> read("proxy: {url: \"http://parley:pp-123@proxy.corp:3128\"}"))
                .hasMessageStartingWith("shop.yaml: connectors[shop-api].proxy.url: ")
                .hasMessageContaining("must not carry credentials")
                .hasMessageNotContaining("pp-123");
    }

    @Test
    void aProxyUserNeedsAPasswordFromAConfigProvider() {
        refused("proxy: {url: \"http://proxy.corp:3128\", username: parley}", "proxy.password", "is required with username");
        refused("proxy: {url: \"http://proxy.corp:3128\", username: parley, password: pp-123}", "proxy.password",
                "must come from a config provider");
    }
}
