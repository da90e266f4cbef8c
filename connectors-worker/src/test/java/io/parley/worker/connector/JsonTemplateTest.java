package io.parley.worker.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTemplateTest {

    private static JsonTemplate template(String json) throws Exception {
        return JsonTemplate.of(JsonText.MAPPER.readTree(json));
    }

    @Test
    void placeholdersAreFilledInsideTheTreeNeverSplicedIntoText() throws Exception {
        JsonTemplate template = template("""
                {"customer": "{customerId}", "note": "for {customerId}: {note}", "qty": "{qty:int}", "gift": "{gift:boolean}",
                 "lines": [{"sku": "{sku}"}], "fixed": 3}""");

        JsonNode body = template.render(Map.of("customerId", "alice", "note", "\"}, \"admin\": true, {\"", "qty", "2",
                "gift", "false", "sku", "MUG-01"));

        assertThat(JsonText.write(body)).isEqualTo("{\"customer\":\"alice\",\"note\":\"for alice: \\\"}, \\\"admin\\\": true, {\\\"\","
                + "\"qty\":2,\"gift\":false,\"lines\":[{\"sku\":\"MUG-01\"}],\"fixed\":3}");
        assertThat(template.parameters()).containsExactly("customerId", "note", "qty", "gift", "sku");
    }

    @Test
    void wrongTypesAndMissingParametersAreNamed() throws Exception {
        JsonTemplate template = template("{\"qty\": \"{qty:int}\"}");

        assertThatThrownBy(() -> template.render(Map.of("qty", "two")))
                .isInstanceOf(InvalidRequestException.class).hasMessage("parameter 'qty' is not a valid int");
        assertThatThrownBy(() -> template.render(Map.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessage("missing parameter 'qty'");
    }
}
