package io.parley.processor.flow.graph;

/** A {@link FlowGraph} as a Mermaid flowchart (left to right). */
public final class MermaidRenderer {

    private MermaidRenderer() {
    }

    public static String render(FlowGraph graph) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        for (FlowGraph.Node node : graph.nodes()) {
            String text = escape(node.label()) + (node.detail().isEmpty() ? "" : "<br/>" + escape(node.detail()));
            String[] shape = switch (node.kind()) {
                case INTENT -> new String[] {"([\"", "\"])"};
                case SLOT -> new String[] {"[/\"", "\"/]"};
                case STEP -> new String[] {"{{\"", "\"}}"};
                case CALL -> new String[] {"[\"", "\"]"};
                case OPERATION -> new String[] {"[(\"", "\")]"};
                case REPLY -> new String[] {"(\"", "\")"};
                case ERROR -> new String[] {">\"", "\"]"};
            };
            out.append("  ").append(node.id()).append(shape[0]).append(text).append(shape[1]).append('\n');
        }
        for (FlowGraph.Edge edge : graph.edges()) {
            out.append("  ").append(edge.from()).append(" -->");
            if (!edge.label().isEmpty()) {
                out.append("|\"").append(escape(edge.label())).append("\"|");
            }
            out.append(' ').append(edge.to()).append('\n');
        }
        return out.toString();
    }

    /** Mermaid's entity codes: a label cannot close its quotes or inject markup. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("#quot;");
                case '<' -> out.append("#lt;");
                case '>' -> out.append("#gt;");
                case '&' -> out.append("#amp;");
                case '#' -> out.append("#35;");
                case '|' -> out.append("#124;");
                case '{' -> out.append("#123;");
                case '}' -> out.append("#125;");
                case '\n', '\r' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
