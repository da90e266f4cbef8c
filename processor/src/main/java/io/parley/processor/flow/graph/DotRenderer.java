package io.parley.processor.flow.graph;

/** A {@link FlowGraph} in Graphviz DOT (left to right). */
public final class DotRenderer {

    private DotRenderer() {
    }

    public static String render(FlowGraph graph) {
        StringBuilder out = new StringBuilder("digraph flows {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n");
        for (FlowGraph.Node node : graph.nodes()) {
            String shape = switch (node.kind()) {
                case INTENT -> "shape=box, style=\"rounded,filled\", fillcolor=\"#dbeafe\"";
                case SLOT -> "shape=parallelogram";
                case STEP -> "shape=hexagon";
                case CALL -> "shape=box";
                case OPERATION -> "shape=cylinder, style=filled, fillcolor=\"#f3f4f6\"";
                case REPLY -> "shape=note, style=filled, fillcolor=\"#dcfce7\"";
                case ERROR -> "shape=note, style=filled, fillcolor=\"#fee2e2\"";
            };
            String label = escape(node.label()) + (node.detail().isEmpty() ? "" : "\\n" + escape(node.detail()));
            out.append("  ").append(node.id()).append(" [label=\"").append(label).append("\", ").append(shape).append("];\n");
        }
        for (FlowGraph.Edge edge : graph.edges()) {
            out.append("  ").append(edge.from()).append(" -> ").append(edge.to());
            if (!edge.label().isEmpty()) {
                out.append(" [label=\"").append(escape(edge.label())).append("\"]");
            }
            out.append(";\n");
        }
        return out.append("}\n").toString();
    }

    /** A DOT string literal's content: quotes and backslashes escaped, line breaks as spaces. */
    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace('\n', ' ').replace('\r', ' ');
    }
}
