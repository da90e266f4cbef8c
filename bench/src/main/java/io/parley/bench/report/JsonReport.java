package io.parley.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Renders a {@link BenchReport} as JSON: the same figures as the markdown table, with explicit
 * nulls where a value was not measured, so tools comparing runs see every field in every file.
 */
public final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(BenchReport report) {
        try {
            return JSON.writeValueAsString(tree(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not render the bench report as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode tree(BenchReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("startedAt", report.startedAt().toString());
        root.put("finishedAt", report.finishedAt().toString());
        root.put("mode", report.mode());
        ArrayNode command = root.putArray("command");
        report.command().forEach(command::add);
        root.set("machine", machine(report.machine()));
        ObjectNode kafka = root.putObject("kafka");
        report.kafka().forEach(kafka::put);
        ArrayNode scenarios = root.putArray("scenarios");
        report.scenarios().forEach(s -> scenarios.add(scenario(s)));
        ArrayNode comparisons = root.putArray("comparisons");
        report.comparisons().forEach(c -> comparisons.add(comparison(c)));
        return root;
    }

    private static ObjectNode machine(MachineInfo machine) {
        ObjectNode node = JSON.createObjectNode();
        node.put("cores", machine.cores());
        node.put("cpuModel", machine.cpuModel().orElse(null));
        if (machine.physicalMemoryBytes().isPresent()) {
            node.put("physicalMemoryBytes", machine.physicalMemoryBytes().get());
        } else {
            node.putNull("physicalMemoryBytes");
        }
        node.put("jvmVersion", machine.jvmVersion());
        node.put("jvmVendor", machine.jvmVendor());
        node.put("jvmName", machine.jvmName());
        node.put("maxHeapBytes", machine.maxHeapBytes());
        ArrayNode arguments = node.putArray("jvmArguments");
        machine.jvmArguments().forEach(arguments::add);
        node.put("os", machine.os());
        return node;
    }

    private static ObjectNode scenario(ScenarioResult scenario) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", scenario.id());
        node.put("title", scenario.title());
        node.put("status", scenario.status().name());
        node.put("reason", scenario.reason().orElse(null));
        node.set("configuration", JSON.valueToTree(scenario.configuration()));
        ArrayNode phases = node.putArray("phases");
        scenario.phases().forEach(p -> phases.add(phase(p)));
        ArrayNode measurements = node.putArray("measurements");
        scenario.measurements().forEach(m -> measurements.add(measurement(m)));
        return node;
    }

    private static ObjectNode phase(PhaseSummary phase) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", phase.name());
        putOptional(node, "offeredPerSecond", phase.offeredPerSecond());
        node.put("messages", phase.messages());
        node.put("warmUp", phase.warmUp());
        node.put("answered", phase.answered());
        ObjectNode other = node.putObject("otherReplies");
        phase.otherReplies().forEach(other::put);
        node.put("duplicates", phase.duplicates());
        node.put("unanswered", phase.unanswered());
        node.put("elapsedSeconds", phase.elapsedSeconds());
        putOptional(node, "cpuMillisPerTurn", phase.cpuMillisPerTurn());
        return node;
    }

    private static ObjectNode measurement(Measurement measurement) {
        ObjectNode node = JSON.createObjectNode();
        node.put("key", measurement.key());
        node.put("label", measurement.label());
        node.put("unit", measurement.unit());
        putOptional(node, "value", measurement.value());
        putTarget(node, measurement.target());
        node.put("verdict", measurement.verdict().name());
        return node;
    }

    private static ObjectNode comparison(Comparison comparison) {
        ObjectNode node = JSON.createObjectNode();
        node.put("label", comparison.label());
        node.put("numerator", comparison.numerator());
        node.put("denominator", comparison.denominator());
        putOptional(node, "ratio", comparison.ratio());
        putTarget(node, comparison.target());
        node.put("verdict", comparison.verdict().name());
        return node;
    }

    private static void putTarget(ObjectNode node, Optional<Target> target) {
        if (target.isEmpty()) {
            node.putNull("target");
            return;
        }
        ObjectNode targetNode = node.putObject("target");
        targetNode.put("comparison", target.get().comparison().name());
        targetNode.put("threshold", target.get().threshold());
    }

    private static void putOptional(ObjectNode node, String field, OptionalDouble value) {
        if (value.isPresent()) {
            node.put(field, value.getAsDouble());
        } else {
            node.putNull(field);
        }
    }
}
