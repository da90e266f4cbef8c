package io.parley.mcp;

import io.parley.worker.connector.OperationParameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connector operation offered as an MCP tool.
 *
 * @param name the tool's name (letters, digits, {@code _ - .})
 * @param description what the tool does, for the agent choosing it
 * @param connector the connector a call goes to
 * @param operation its operation
 * @param parameters the parameters the operation declares: the tool's arguments
 */
public record ToolDefinition(String name, Optional<String> description, String connector, String operation,
                             List<OperationParameter> parameters) {

    /** The arguments as JSON Schema: an object of the declared parameters and nothing else. */
    public Map<String, Object> inputSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (OperationParameter parameter : parameters) {
            properties.put(parameter.name(), Map.of("type", parameter.type()));
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", parameters.stream().filter(OperationParameter::required).map(OperationParameter::name).toList());
        schema.put("additionalProperties", false);
        return schema;
    }

    /** The description agents see: the configured one, else which operation it calls. */
    public String describe() {
        return description.orElse("Calls operation " + operation + " of connector " + connector + ".");
    }
}
