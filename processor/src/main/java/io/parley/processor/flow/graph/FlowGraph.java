package io.parley.processor.flow.graph;

import io.parley.processor.flow.CallDefinition;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.IntentDefinition;
import io.parley.processor.flow.SlotDefinition;
import io.parley.processor.flow.StepDefinition;
import io.parley.processor.flow.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A flow as a directed graph: each intent leads through its slots (asked in order) to its steps,
 * each step fans out to its calls (run in parallel), each call to the connector operation it uses,
 * the last step to the reply, and every step to the error replies by status. Operations are shared
 * between intents. Node ids are generated ({@code n1}, {@code n2}, ...) so renderers only escape labels.
 *
 * @param nodes in the order they were added (intent by intent, in file order)
 * @param edges in the order they were added
 */
public record FlowGraph(List<Node> nodes, List<Edge> edges) {

    /** What a node stands for. */
    public enum Kind { INTENT, SLOT, STEP, CALL, OPERATION, REPLY, ERROR }

    /**
     * @param detail a second line (priority, condition, reply text); empty when none
     */
    public record Node(String id, Kind kind, String label, String detail) {
    }

    /** @param label empty when the edge needs none */
    public record Edge(String from, String to, String label) {
    }

    public FlowGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    private static final int MAX_DETAIL = 60;

    /** The graph of every intent of the flows. */
    public static FlowGraph of(FlowCatalog flows) {
        Builder builder = new Builder();
        flows.intents().forEach(builder::intent);
        return new FlowGraph(builder.nodes, builder.edges);
    }

    private static final class Builder {

        private final List<Node> nodes = new ArrayList<>();
        private final List<Edge> edges = new ArrayList<>();
        private final Map<String, String> operations = new LinkedHashMap<>();

        void intent(IntentDefinition intent) {
            String last = node(Kind.INTENT, intent.title() + " (" + intent.name() + ")", "priority " + intent.priority());
            for (SlotDefinition slot : intent.slots().values()) {
                String slotNode = node(Kind.SLOT, "slot " + slot.name(), shorten(slot.prompt()));
                edges.add(new Edge(last, slotNode, isIntent(last) ? "asks" : "then"));
                last = slotNode;
            }
            List<String> stepNodes = new ArrayList<>();
            for (int i = 0; i < intent.steps().size(); i++) {
                StepDefinition step = intent.steps().get(i);
                String stepNode = node(Kind.STEP, "step " + (i + 1), step.when().map(when -> "when " + shorten(when)).orElse(""));
                edges.add(new Edge(last, stepNode, ""));
                stepNodes.add(stepNode);
                List<String> callNodes = new ArrayList<>();
                for (CallDefinition call : step.calls()) {
                    String callNode = node(Kind.CALL, "call " + call.name(), String.join(", ", new TreeMap<>(call.params()).keySet()));
                    edges.add(new Edge(stepNode, callNode, step.calls().size() > 1 ? "parallel" : ""));
                    edges.add(new Edge(callNode, operation(call), ""));
                    callNodes.add(callNode);
                }
                step.lookup().ifPresent(lookup -> edges.add(new Edge(stepNode, node(Kind.CALL, "lookup " + lookup.name(),
                        "table " + lookup.table() + lookup.index().map(index -> " by " + index).orElse("")), "")));
                // The next stage waits for every call of this step: drawn from the step itself.
                last = stepNode;
            }
            String reply = node(Kind.REPLY, "reply", shorten(intent.reply()));
            edges.add(new Edge(last, reply, intent.steps().isEmpty() ? "" : "all answered"));
            new TreeMap<>(intent.errorReplies()).forEach((status, template) -> {
                String error = node(Kind.ERROR, status, shorten(template));
                List<String> from = stepNodes.isEmpty() ? List.of(reply) : stepNodes;
                from.forEach(step -> edges.add(new Edge(step, error, status)));
            });
        }

        private boolean isIntent(String id) {
            return nodes.stream().anyMatch(n -> n.id().equals(id) && n.kind() == Kind.INTENT);
        }

        private String operation(CallDefinition call) {
            String key = call.connector() + "." + call.operation();
            return operations.computeIfAbsent(key, k -> node(Kind.OPERATION, k, ""));
        }

        private String node(Kind kind, String label, String detail) {
            String id = "n" + (nodes.size() + 1);
            nodes.add(new Node(id, kind, label, detail));
            return id;
        }

        private static String shorten(Template template) {
            String text = template.source().strip().replaceAll("\\s+", " ");
            return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL - 1) + "…";
        }
    }
}
