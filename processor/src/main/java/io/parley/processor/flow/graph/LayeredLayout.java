package io.parley.processor.flow.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small layered (Sugiyama-style) layout, left to right: a node's column is the length of the
 * longest path reaching it, and each column is ordered once by the mean row of the node's
 * predecessors, which keeps an intent's slots, steps and calls beside it. Enough for flow graphs,
 * which are acyclic by construction (edges only point to later stages).
 */
final class LayeredLayout {

    static final int NODE_HEIGHT = 44;
    static final int ROW_GAP = 16;
    static final int COLUMN_GAP = 56;
    static final int MARGIN = 16;
    static final int CHAR_WIDTH = 7;
    static final int PADDING = 20;
    static final int MAX_CHARS = 48;

    /** Where a node is drawn. */
    record Box(FlowGraph.Node node, int x, int y, int width, int height) {
    }

    private final Map<String, Box> boxes;
    private final int width;
    private final int height;

    private LayeredLayout(Map<String, Box> boxes, int width, int height) {
        this.boxes = boxes;
        this.width = width;
        this.height = height;
    }

    static LayeredLayout of(FlowGraph graph) {
        Map<String, List<String>> predecessors = new HashMap<>();
        graph.edges().forEach(edge -> predecessors.computeIfAbsent(edge.to(), k -> new ArrayList<>()).add(edge.from()));
        Map<String, Integer> column = new HashMap<>();
        // Nodes are added before the nodes they lead to, except shared operations: a few passes settle every column.
        for (int pass = 0; pass <= graph.nodes().size(); pass++) {
            boolean changed = false;
            for (FlowGraph.Node node : graph.nodes()) {
                int layer = 0;
                for (String from : predecessors.getOrDefault(node.id(), List.of())) {
                    layer = Math.max(layer, column.getOrDefault(from, 0) + 1);
                }
                Integer previous = column.put(node.id(), layer);
                changed |= previous == null || previous != layer;
            }
            if (!changed) {
                break;
            }
        }
        int columns = column.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        List<List<FlowGraph.Node>> layers = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            layers.add(new ArrayList<>());
        }
        graph.nodes().forEach(node -> layers.get(column.get(node.id())).add(node));

        Map<String, Double> row = new HashMap<>();
        for (List<FlowGraph.Node> layer : layers) {
            Map<String, Double> order = new HashMap<>();
            for (int i = 0; i < layer.size(); i++) {
                FlowGraph.Node node = layer.get(i);
                List<String> from = predecessors.getOrDefault(node.id(), List.of());
                double mean = from.stream().mapToDouble(id -> row.getOrDefault(id, 0.0)).average().orElse(i);
                order.put(node.id(), mean + i * 1e-6);
            }
            layer.sort(Comparator.comparingDouble(node -> order.get(node.id())));
            for (int i = 0; i < layer.size(); i++) {
                row.put(layer.get(i).id(), (double) i);
            }
        }

        Map<String, Box> boxes = new LinkedHashMap<>();
        int x = MARGIN;
        int tallest = 0;
        for (List<FlowGraph.Node> layer : layers) {
            int columnWidth = layer.stream().mapToInt(LayeredLayout::width).max().orElse(0);
            int y = MARGIN;
            for (FlowGraph.Node node : layer) {
                boxes.put(node.id(), new Box(node, x, y, columnWidth, NODE_HEIGHT));
                y += NODE_HEIGHT + ROW_GAP;
            }
            tallest = Math.max(tallest, y);
            x += columnWidth + COLUMN_GAP;
        }
        return new LayeredLayout(boxes, x - COLUMN_GAP + MARGIN, tallest - ROW_GAP + MARGIN);
    }

    private static int width(FlowGraph.Node node) {
        int chars = Math.min(MAX_CHARS, Math.max(node.label().length(), node.detail().length()));
        return chars * CHAR_WIDTH + PADDING;
    }

    Box box(String id) {
        return boxes.get(id);
    }

    List<Box> boxes() {
        return List.copyOf(boxes.values());
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }
}
