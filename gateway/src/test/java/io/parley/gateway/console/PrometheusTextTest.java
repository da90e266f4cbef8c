package io.parley.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.gateway.console.PrometheusText.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void samplesWithLabelsEscapesAndSpecialValuesAreRead() {
        List<Sample> samples = PrometheusText.parse("""
                # HELP parley_worker_responses_total Backend responses by status
                # TYPE parley_worker_responses_total counter
                parley_worker_responses_total{connector="shop-api",operation="getOrder",status="OK",} 12.0
                parley_worker_call_seconds_bucket{connector="shop-api",operation="getOrder",status="OK",le="+Inf"} 12
                odd_label{path="C:\\\\dir",quote="say \\"hi\\"",lines="a\\nb"} 1e3 1712345678000

                parley_worker_circuit_state{connector="shop-api"} NaN
                """);

        assertThat(samples).hasSize(4);
        assertThat(samples.get(0)).isEqualTo(new Sample("parley_worker_responses_total",
                Map.of("connector", "shop-api", "operation", "getOrder", "status", "OK"), 12.0));
        assertThat(samples.get(1).label("le")).isEqualTo("+Inf");
        assertThat(samples.get(2).labels()).containsEntry("path", "C:\\dir").containsEntry("quote", "say \"hi\"")
                .containsEntry("lines", "a\nb");
        assertThat(samples.get(2).value()).isEqualTo(1000.0);
        assertThat(samples.get(3).value()).isNaN();
    }

    @Test
    void linesThatDoNotParseAreSkippedNotFatal() {
        List<Sample> samples = PrometheusText.parse("""
                {no_name="x"} 1
                unterminated{a="b 1
                no_value{a="b"}
                not_a_number 12,5
                good 2
                """);

        assertThat(samples).extracting(Sample::name).containsExactly("good");
    }
}
