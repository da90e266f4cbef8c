package io.parley.processor.flow.graph;

import java.util.Locale;

/**
 * A {@link FlowGraph} as a standalone SVG image, laid out by {@link LayeredLayout}: no external
 * program, nothing fetched. Every text is escaped for XML, so a flow's titles and replies cannot
 * inject markup into a page that shows the image.
 */
public final class SvgRenderer {

    private SvgRenderer() {
    }

    public static String render(FlowGraph graph) {
        LayeredLayout layout = LayeredLayout.of(graph);
        StringBuilder out = new StringBuilder();
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">%n",
                layout.width(), layout.height(), layout.width(), layout.height()));
        out.append("  <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" "
                + "markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#6b7280\"/></marker></defs>\n");
        out.append("  <g class=\"edges\" fill=\"none\" stroke=\"#6b7280\" stroke-width=\"1.2\">\n");
        for (FlowGraph.Edge edge : graph.edges()) {
            LayeredLayout.Box from = layout.box(edge.from());
            LayeredLayout.Box to = layout.box(edge.to());
            int x1 = from.x() + from.width();
            int y1 = from.y() + from.height() / 2;
            int x2 = to.x();
            int y2 = to.y() + to.height() / 2;
            int bend = Math.max(20, (x2 - x1) / 2);
            out.append(String.format(Locale.ROOT, "    <path d=\"M %d %d C %d %d, %d %d, %d %d\" marker-end=\"url(#arrow)\"/>%n",
                    x1, y1, x1 + bend, y1, x2 - bend, y2, x2, y2));
            if (!edge.label().isEmpty()) {
                // Beside the arrow's head: labels at the fan-out point of a step would pile up.
                out.append(String.format(Locale.ROOT, "    <text x=\"%d\" y=\"%d\" stroke=\"none\" fill=\"#374151\" font-size=\"9\" "
                        + "text-anchor=\"end\">%s</text>%n", x2 - 4, y2 - 4, escape(edge.label())));
            }
        }
        out.append("  </g>\n  <g class=\"nodes\">\n");
        for (LayeredLayout.Box box : layout.boxes()) {
            FlowGraph.Node node = box.node();
            out.append(String.format(Locale.ROOT, "    <g class=\"%s\" id=\"%s\">%n", node.kind().name().toLowerCase(Locale.ROOT), node.id()));
            out.append(String.format(Locale.ROOT, "      <rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"%d\" fill=\"%s\" stroke=\"#4b5563\"/>%n",
                    box.x(), box.y(), box.width(), box.height(), node.kind() == FlowGraph.Kind.INTENT ? 12 : 3, fill(node.kind())));
            int textX = box.x() + LayeredLayout.PADDING / 2;
            out.append(String.format(Locale.ROOT, "      <text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
                    textX, box.y() + 18, escape(clip(node.label()))));
            if (!node.detail().isEmpty()) {
                out.append(String.format(Locale.ROOT, "      <text x=\"%d\" y=\"%d\" fill=\"#4b5563\">%s</text>%n",
                        textX, box.y() + 34, escape(clip(node.detail()))));
            }
            out.append("      <title>").append(escape(node.label() + (node.detail().isEmpty() ? "" : ": " + node.detail())))
                    .append("</title>\n    </g>\n");
        }
        return out.append("  </g>\n</svg>\n").toString();
    }

    private static String fill(FlowGraph.Kind kind) {
        return switch (kind) {
            case INTENT -> "#dbeafe";
            case SLOT -> "#fef9c3";
            case STEP -> "#ede9fe";
            case CALL -> "#ffffff";
            case OPERATION -> "#f3f4f6";
            case REPLY -> "#dcfce7";
            case ERROR -> "#fee2e2";
        };
    }

    private static String clip(String text) {
        return text.length() <= LayeredLayout.MAX_CHARS ? text : text.substring(0, LayeredLayout.MAX_CHARS - 1) + "…";
    }

    /** Text for XML content and attributes; characters XML 1.0 cannot carry are dropped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
