package io.parley.worker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.TextTemplate;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlTemplateTest {

    private static final BaseUrl BASE = BaseUrl.parse("https://shop.example:8443/api/");

    private static final UrlTemplate ORDER = UrlTemplate.of(BASE, "/orders/{orderId}/items",
            Map.of("customerId", TextTemplate.parse("{customerId}")));

    @ParameterizedTest(name = "orderId = {0}")
    @ValueSource(strings = {"../admin", "..", ".", "@evil.example", "//evil.example", "%2f..%2fadmin", "a\r\nX-Injected: 1",
            "http://evil.example/x", "?debug=true#frag", "1/../../secrets", "évil ☃", "a;b=c"})
    void aPathParameterStaysInItsOwnSegmentAndCannotChangeTheHost(String value) throws Exception {
        URI uri = ORDER.render(Map.of("orderId", value, "customerId", "alice"));

        assertThat(uri.getScheme()).isEqualTo("https");
        assertThat(uri.getHost()).isEqualTo("shop.example");
        assertThat(uri.getPort()).isEqualTo(8443);
        assertThat(uri.getRawUserInfo()).isNull();
        assertThat(uri.getRawFragment()).isNull();
        assertThat(uri.getRawQuery()).isEqualTo("customerId=alice");
        String[] segments = uri.getRawPath().split("/", -1);
        assertThat(segments).hasSize(5);
        assertThat(segments[0]).isEmpty();
        assertThat(segments[1]).isEqualTo("api");
        assertThat(segments[2]).isEqualTo("orders");
        assertThat(segments[4]).isEqualTo("items");
        assertThat(segments[3]).doesNotContain("/", "?", "#", "\r", "\n", "@", ":").isNotIn(".", "..");
        assertThat(URLDecoder.decode(segments[3].replace("+", "%2B"), StandardCharsets.UTF_8)).isEqualTo(value);
    }

    @Test
    void queryValuesAreEncodedSoTheyCannotAddParameters() throws Exception {
        URI uri = ORDER.render(Map.of("orderId", "1", "customerId", "alice&admin=true#x"));

        assertThat(uri.getRawQuery()).isEqualTo("customerId=alice%26admin%3Dtrue%23x");
        assertThat(uri.getRawFragment()).isNull();
    }

    @Test
    void aMissingParameterIsNamed() {
        assertThatThrownBy(() -> ORDER.render(Map.of("orderId", "1")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("missing parameter 'customerId'");
    }

    @Test
    void pathTemplatesMustBePlainPaths() {
        assertThatThrownBy(() -> UrlTemplate.of(BASE, "orders/{id}", Map.of())).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> UrlTemplate.of(BASE, "/orders?id={id}", Map.of())).hasMessageContaining("'?'");
        assertThatThrownBy(() -> UrlTemplate.of(BASE, "/orders/../admin", Map.of())).hasMessageContaining("'..'");
        assertThatThrownBy(() -> UrlTemplate.of(BASE, "/orders/{id", Map.of())).hasMessageContaining("brace");
    }

    @Test
    void baseUrlsCarryNoCredentialsQueriesOrOtherSchemes() {
        assertThatThrownBy(() -> BaseUrl.parse("https://user:pw@shop.example")).hasMessageContaining("user information");
        assertThatThrownBy(() -> BaseUrl.parse("https://shop.example/?x=1")).hasMessageContaining("query");
        assertThatThrownBy(() -> BaseUrl.parse("file:///etc/passwd")).hasMessageContaining("http://");
        assertThatThrownBy(() -> BaseUrl.parse("https:///nohost")).hasMessageContaining("no host");
    }
}
